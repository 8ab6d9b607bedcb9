/**
 * @module Configuration types. Field names are the YAML/JSON keys of Clair's
 * config reference, so there is no mapping layer between the file and the
 * code. After validation every default is applied and durations are numbers
 * of milliseconds (the file spells them as Go durations: `6h`, `1h30m`).
 */
import type { Lint } from '../lib/config-lint.js';
import type { LogLevel } from '../lib/logger.js';

export type { Lint };

export const MODES = ['combo', 'indexer', 'matcher', 'notifier'] as const;
export type Mode = (typeof MODES)[number];

export { LOG_LEVELS, type LogLevel } from '../lib/logger.js';

export interface TlsConfig {
  cert: string;
  key: string;
  /** Deprecated upstream; kept so old configs still load. */
  root_ca?: string;
}

/** Per-scanner configuration objects, passed through as JSON. */
export interface ScannerConfig {
  package: Record<string, unknown>;
  dist: Record<string, unknown>;
  repo: Record<string, unknown>;
}

export interface IndexerConfig {
  /** libpq DSN or URL; empty means the embedded database. */
  connstring: string;
  /** Seconds between retries when a manifest is locked by another indexer. */
  scanlock_retry: number;
  layer_scan_concurrency: number;
  /** Negative means unlimited. */
  index_report_request_concurrency: number;
  migrations: boolean;
  airgap: boolean;
  /** Extension: directory for layer spool files; empty means the OS temp dir. */
  spool_dir: string;
  /** Extension: what one index request may cost. */
  limits: IndexerLimits;
  /** Extension: how layers are fetched, and from where. */
  layer_fetch: LayerFetchConfig;
  scanner: ScannerConfig;
}

/** `indexer.limits` (extension): every limit has a safe default; see docs/config.md. */
export interface IndexerLimits {
  /** Layers one manifest may have. */
  manifest_layers: number;
  /** One layer's uncompressed size, bytes. */
  layer_bytes: number;
  /** Tar entries in one layer. */
  layer_entries: number;
  /** Path components of one tar entry. */
  path_depth: number;
  /** Uncompressed bytes per compressed byte, once a layer has decompressed 64 MiB. */
  compression_ratio: number;
  /** Bytes of all layers spooled at once; 0 means no cap. */
  spool_bytes: number;
  /** Milliseconds one index request may take, fetching included. */
  index_timeout: number;
  /** Vulnerabilities one affected-manifest request may name. */
  affected_manifest_vulnerabilities: number;
}

/** `indexer.layer_fetch` (extension): deadlines per attempt and where layers may come from. */
export interface LayerFetchConfig {
  /** Milliseconds to connect (DNS included). */
  connect_timeout: number;
  /** Milliseconds from the request to the response headers. */
  response_timeout: number;
  /** A body slower than this many bytes per second, over any 30 s, is abandoned. */
  min_bytes_per_second: number;
  /** Tries per layer, the first included. */
  attempts: number;
  /** Hosts or CIDRs layers may be fetched from even when otherwise denied. */
  allow: string[];
  /** Hosts or CIDRs layers may never be fetched from, on top of the built-in denials. */
  deny: string[];
}

export interface MatcherConfig {
  connstring: string;
  /** Required in matcher mode. */
  indexer_addr: string;
  migrations: boolean;
  /** Milliseconds between updater runs. */
  period: number;
  disable_updaters: boolean;
  disable_enrichment: boolean;
  /** Update operations kept per updater; 0 turns GC off. */
  update_retention: number;
  /** Milliseconds; the vulnerability report's Cache-Control max-age. */
  cache_age: number;
  /** Deprecated and ignored, as upstream. */
  max_conn_pool?: number;
}

export interface MatchersConfig {
  /** `undefined` means every default matcher; `[]` means none. */
  names?: string[];
  config: Record<string, unknown>;
}

export interface UpdatersConfig {
  /** `undefined` means every default set; `[]` means none. */
  sets?: string[];
  config: Record<string, unknown>;
  filter?: string;
}

export interface WebhookConfig {
  target: string;
  callback: string;
  headers: Record<string, string[]>;
  /** Deprecated and ignored, as upstream. */
  signed?: boolean;
  /**
   * Extension: base64 HMAC-SHA256 key; each request then carries
   * `Clair-Signature: t=<unix seconds>,v1=<hex HMAC of "<t>.<body>">`.
   */
  signature_key?: string;
  /** Extension: tries per delivery round, the first included. */
  attempts: number;
  /** Extension: milliseconds before the second try; doubled for each further try. */
  backoff: number;
  /** Extension: milliseconds one try may take, answer included. */
  timeout: number;
}

export interface TlsClientConfig {
  cert?: string;
  key?: string;
  root_ca?: string;
}

export interface AmqpConfig {
  exchange: { name: string; type: string; durability: boolean; auto_delete: boolean };
  routing_key: string;
  callback: string;
  uris: string[];
  direct: boolean;
  rollup: number;
  tls?: TlsClientConfig;
}

export interface StompConfig {
  destination: string;
  callback: string;
  uris: string[];
  direct: boolean;
  rollup: number;
  tls?: TlsClientConfig;
  user?: { login: string; passcode: string };
}

export interface NotifierConfig {
  connstring: string;
  migrations: boolean;
  /** Required in notifier mode. */
  indexer_addr: string;
  /** Required in notifier mode. */
  matcher_addr: string;
  /** Milliseconds. */
  poll_interval: number;
  /** Milliseconds. */
  delivery_interval: number;
  disable_summary: boolean;
  /**
   * Extension, milliseconds: an undelivered notification is retried for this
   * long, then expires; delivered and acknowledged ones are kept this long.
   */
  retention: number;
  webhook?: WebhookConfig;
  amqp?: AmqpConfig;
  stomp?: StompConfig;
}

export interface PskConfig {
  /** Base64 (standard, padded) HMAC key, as written in the file. */
  key: string;
  iss: string[];
}

export interface AuthConfig {
  psk?: PskConfig;
}

export interface MetricsConfig {
  name: '' | 'prometheus' | 'otlp' | 'stdout';
  prometheus: { endpoint: string };
  otlp?: Record<string, unknown>;
}

export interface TraceConfig {
  name: '' | 'otlp' | 'sentry' | 'jaeger' | 'stdout';
  probability?: number;
  jaeger?: Record<string, unknown>;
  otlp?: Record<string, unknown>;
  sentry?: Record<string, unknown>;
}

/** The validated configuration with every default applied. */
export interface Config {
  http_listen_addr: string;
  introspection_addr: string;
  log_level: LogLevel;
  tls?: TlsConfig;
  /**
   * Extension: directory of the embedded database used when a service's
   * connstring is empty. Not in upstream Clair.
   */
  data_dir: string;
  indexer: IndexerConfig;
  matcher: MatcherConfig;
  matchers: MatchersConfig;
  updaters: UpdatersConfig;
  notifier: NotifierConfig;
  auth: AuthConfig;
  metrics: MetricsConfig;
  trace: TraceConfig;
}


export interface LoadedConfig {
  config: Config;
  lints: Lint[];
}
