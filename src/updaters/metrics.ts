/** @module Per-updater metrics: last success, duration, records written, failures. */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

export class UpdaterMetrics {
  readonly lastSuccess: Gauge<'updater'>;
  readonly duration: Histogram<'updater' | 'outcome'>;
  readonly records: Counter<'updater'>;
  readonly failures: Counter<'updater'>;

  constructor(registry: Registry) {
    const registers = [registry];
    this.lastSuccess = new Gauge({ name: 'clair_updater_last_success_timestamp_seconds', help: 'Unix time of the last successful run, by updater.', labelNames: ['updater'], registers });
    this.duration = new Histogram({
      name: 'clair_updater_duration_seconds',
      help: 'Updater run time in seconds, by outcome (changed, unchanged, failed).',
      labelNames: ['updater', 'outcome'],
      buckets: [0.1, 0.5, 1, 5, 15, 60, 300, 900, 1800],
      registers,
    });
    this.records = new Counter({ name: 'clair_updater_records_written_total', help: 'Vulnerability records written, by updater.', labelNames: ['updater'], registers });
    this.failures = new Counter({ name: 'clair_updater_failures_total', help: 'Failed updater runs, by updater.', labelNames: ['updater'], registers });
  }
}
