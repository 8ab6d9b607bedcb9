/**
 * @module The notifier's metrics, each labelled with the deliverer
 * (`webhook`, `amqp`, `stomp`, or `none` when nothing is configured).
 */
import { Counter, Gauge, type Registry } from 'prom-client';

export class NotifierMetrics {
  readonly created: Counter<'deliverer'>;
  readonly delivered: Counter<'deliverer'>;
  readonly failed: Counter<'deliverer'>;
  readonly expired: Counter<'deliverer'>;
  readonly pending: Gauge<'deliverer'>;
  readonly operations: Counter<'outcome'>;

  constructor(registry: Registry) {
    const registers = [registry];
    this.created = new Counter({ name: 'clair_notifier_notifications_created_total', help: 'Notifications created (each with at least one body), by deliverer.', labelNames: ['deliverer'], registers });
    this.delivered = new Counter({ name: 'clair_notifier_notifications_delivered_total', help: 'Notifications delivered, by deliverer.', labelNames: ['deliverer'], registers });
    this.failed = new Counter({ name: 'clair_notifier_delivery_failures_total', help: 'Delivery rounds of a notification that failed, by deliverer.', labelNames: ['deliverer'], registers });
    this.expired = new Counter({ name: 'clair_notifier_notifications_expired_total', help: 'Notifications given up on after notifier.retention undelivered, by deliverer.', labelNames: ['deliverer'], registers });
    this.pending = new Gauge({ name: 'clair_notifier_notifications_pending', help: 'Notifications waiting for delivery at the end of the last delivery round, by deliverer.', labelNames: ['deliverer'], registers });
    this.operations = new Counter({
      name: 'clair_notifier_update_operations_processed_total',
      help: 'Update operations processed, by outcome (notified, unaffected, baseline).',
      labelNames: ['outcome'],
      registers,
    });
  }
}
