/**
 * @module Configuration defaults. One object, one unit comment per value, as
 * upstream's `config/defaults.go` (and the code that applies them in
 * `config/{indexer,matcher,notifier}.go`). Durations are milliseconds.
 */
import { availableParallelism } from 'node:os';

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const GIB = 1024 * 1024 * 1024;

/**
 * The compression-ratio limit applies once a layer has decompressed this far
 * (64 MiB), so small, very compressible layers are never refused for it.
 */
export const COMPRESSION_RATIO_GRACE_BYTES = 64 * 1024 * 1024;

/** Every default, and the thresholds the lints compare against. */
export const DEFAULTS = {
  /** `http_listen_addr`: host:port of the API server. */
  http_listen_addr: ':6060',
  /** `introspection_addr`: host:port of the metrics/health server. */
  introspection_addr: ':8089',
  /** `log_level`: the zero value upstream is `info`. */
  log_level: 'info',
  /** `data_dir` (our extension): directory of the embedded database used when a connstring is empty. */
  data_dir: 'clair-data',

  indexer: {
    /** `indexer.scanlock_retry`, seconds; used when unset or 0. */
    scanlock_retry: 1,
    /** `indexer.limits`: what one index request may cost (extension). */
    limits: {
      /** Layers per manifest; Docker stops at 127, so this leaves room. */
      manifest_layers: 256,
      /** One layer's uncompressed bytes: 8 GiB. */
      layer_bytes: 8 * GIB,
      /** Tar entries per layer: the largest real layers hold a few hundred thousand. */
      layer_entries: 1_000_000,
      /** Path components per entry: deep node_modules trees reach a few dozen. */
      path_depth: 256,
      /** Uncompressed bytes per compressed byte; real layers are 2–10, bombs 1,000 and more. */
      compression_ratio: 256,
      /** Bytes of all layers spooled at once: 32 GiB of disk. */
      spool_bytes: 32 * GIB,
      /** One index request, fetching included: 30 minutes. */
      index_timeout: 30 * MINUTE,
      /** Vulnerabilities per affected-manifest request; Clair's notifier sends 1,000 at a time. */
      affected_manifest_vulnerabilities: 5_000,
    },
    /** `indexer.layer_fetch` (extension). */
    layer_fetch: {
      /** Connecting, DNS included: 10 s. */
      connect_timeout: 10 * SECOND,
      /** From the request to the response headers: 30 s. */
      response_timeout: 30 * SECOND,
      /** Slowest acceptable body, bytes per second over any 30 s: 1 KiB/s. */
      min_bytes_per_second: 1024,
      /** Tries per layer, the first included. */
      attempts: 4,
    },
    /** `indexer.layer_scan_concurrency`, layers; used when unset or 0 (libindex default). */
    layer_scan_concurrency: 10,
    /** `indexer.index_report_request_concurrency` when 0: this many requests per available CPU. */
    index_report_requests_per_cpu: 4,
    /** Lint: `scanlock_retry` above this many seconds increases latency. */
    lint_scanlock_retry_max: 10,
    /** Lint: `layer_scan_concurrency` below this limits throughput. */
    lint_layer_scan_concurrency_min: 4,
    /** Lint: `layer_scan_concurrency` above this may exceed resource quotas. */
    lint_layer_scan_concurrency_max: 32,
  },

  matcher: {
    /** `matcher.period`, ms between updater runs: 6h. Also the lint threshold. */
    period: 6 * HOUR,
    /** `matcher.update_retention`, update operations kept per updater; used for 0 and 1. */
    update_retention: 10,
    /** `matcher.update_retention` below this (and above 0) becomes the default. */
    update_retention_min: 2,
    // `matcher.cache_age` defaults to `matcher.period`; the lint fires below period / 2.
  },

  notifier: {
    /** `notifier.poll_interval`, ms: 6h. Also the lint threshold. */
    poll_interval: 6 * HOUR,
    /** `notifier.delivery_interval`, ms: 1h. Also the lint threshold. */
    delivery_interval: 1 * HOUR,
    /** Intervals below this many ms (including unset) are replaced by the defaults above. */
    min_interval: 1 * MINUTE,
    /** `notifier.retention` (extension): 14 days, as upstream's receipt GC. */
    retention: 14 * 24 * HOUR,
    /** `notifier.webhook` retry and timeout extensions. */
    webhook: { attempts: 4, backoff: 1 * SECOND, timeout: 30 * SECOND },
  },

  metrics: {
    /** `metrics.prometheus.endpoint`: URL path on the introspection server. */
    prometheus_endpoint: '/metrics',
  },
} as const;

/** `indexer.index_report_request_concurrency` when it is 0: available CPUs × 4, as upstream's GOMAXPROCS × 4. */
export function defaultIndexReportRequestConcurrency(): number {
  return availableParallelism() * DEFAULTS.indexer.index_report_requests_per_cpu;
}
