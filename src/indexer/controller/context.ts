/** @module The state an index run carries between controller states. */
import type { Logger } from 'pino';
import type { IndexReport, Layer, Manifest } from '../../model/index.js';
import type { IndexerStore } from '../../store/indexer-store.js';
import type { Lease, Locker } from '../../store/locker.js';
import type { Ecosystem, Resolver } from '../ecosystem.js';
import type { LayerFS } from '../layer-fs.js';
import type { Scanner } from '../scanner.js';

/** A fetched layer; `close` releases its spool. */
export type OpenedLayer = LayerFS & { close(): Promise<void> };

/** Fetches a layer and opens its file system. */
export type LayerOpener = (layer: Layer, signal?: AbortSignal) => Promise<OpenedLayer>;

/** A scanner with its database id. */
export interface RegisteredScanner {
  scanner: Scanner;
  id: string;
}

export interface FetchedLayer {
  opening: Promise<OpenedLayer>;
  layer: OpenedLayer | undefined;
  lease: Lease;
}

export interface IndexContext {
  manifest: Manifest;
  report: IndexReport;
  store: IndexerStore;
  /** For layer locks shared with other indexers. */
  locks: Locker;
  ecosystems: readonly Ecosystem[];
  resolvers: readonly Resolver[];
  /** Every configured scanner. */
  scanners: readonly RegisteredScanner[];
  /** The scanners that still have work on this manifest (set by CheckManifest). */
  pending: RegisteredScanner[];
  openLayer: LayerOpener;
  /** Per-scanner configuration by scanner name. */
  scannerConfig: (scanner: Scanner) => unknown;
  /** Most layers fetched and scanned at once. */
  layerConcurrency: number;
  /**
   * Aborts when the run must stop: the caller gave up (`cancel`), the
   * deadline passed, or a layer failed for good ({@link IndexContext.fail}).
   * Its reason is then the error the run ends with. Every wait and every
   * fetch takes it.
   */
  signal: AbortSignal;
  /** The caller's cancellation: the run stops and nothing is persisted. */
  cancel?: AbortSignal | undefined;
  /** Ends the run with `err` (the first call wins): in-flight and queued layer work stops. */
  fail(err: unknown): void;
  log: Logger;
  /**
   * Layers FetchLayers locked for ScanLayers: `opening` settles when the
   * fetch does, so scanning a layer starts as soon as it is ready while others
   * are still downloading; `layer` is set once it is open (for cleanup).
   */
  fetched: Map<string, FetchedLayer>;
}
