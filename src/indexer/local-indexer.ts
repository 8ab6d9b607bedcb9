/**
 * @module The indexer as it runs in this process: the controller over its
 * own store, a manifest at a time per digest (cluster-wide lock), layers
 * shared between manifests fetched and scanned once. A manifest with more
 * layers than `indexer.limits.manifest_layers` is refused before anything is
 * done; an index, waiting for the manifest's lock included, is bounded by
 * `indexer.limits.index_timeout` whether or not its caller is still there.
 */
import type { Logger } from 'pino';
import type { Locker } from '../store/locker.js';
import type { IndexerStore } from '../store/indexer-store.js';
import type { AffectedManifests, IndexReport, Manifest, Vulnerability } from '../model/index.js';
import { affectedManifests, type AffectedRule } from './affected-manifests.js';
import type { IndexerService } from './service.js';
import { indexerState } from './state.js';
import type { Ecosystem, Resolver } from './ecosystem.js';
import type { Scanner } from './scanner.js';
import type { LayerOpener, RegisteredScanner } from './controller/context.js';
import { newReport, runController, startRun } from './controller/controller.js';
import type { IndexerLimits } from '../config/types.js';
import { DEFAULTS } from '../config/defaults.js';
import { clairError } from '../lib/errors.js';

export interface LocalIndexerOptions {
  store: IndexerStore;
  /** Manifest and layer locks, shared with every indexer on the same database. */
  locks: Locker;
  ecosystems: readonly Ecosystem[];
  resolvers: readonly Resolver[];
  openLayer: LayerOpener;
  /** `indexer.scanner` from the config: per-kind, per-name scanner settings. */
  scannerConfig?: { package?: Record<string, unknown>; dist?: Record<string, unknown>; repo?: Record<string, unknown> };
  /** Most layers fetched and scanned at once (`indexer.layer_scan_concurrency`). */
  layerConcurrency: number;
  /** The matchers' rules, which decide which stored manifests a vulnerability affects. */
  affected: readonly AffectedRule[];
  /** Longest wait between tries for a manifest another indexer holds, in ms (`indexer.scanlock_retry`). */
  lockRetryMs: number;
  /** `indexer.limits`: layers per manifest, and the deadline of one index in ms (defaults when absent). */
  limits?: Partial<Pick<IndexerLimits, 'manifest_layers' | 'index_timeout'>> | undefined;
  log: Logger;
}

/** Every scanner of the ecosystems, de-duplicated by name within a kind (first wins), as libindex does. */
export function scannersOf(ecosystems: readonly Ecosystem[]): Scanner[] {
  const seen = new Set<string>();
  const out: Scanner[] = [];
  for (const eco of ecosystems) {
    for (const s of [...eco.packageScanners, ...eco.distributionScanners, ...eco.repositoryScanners, ...eco.fileScanners]) {
      const key = `${s.kind}\0${s.name}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(s);
    }
  }
  return out;
}

const CONFIG_SECTION = { package: 'package', distribution: 'dist', repository: 'repo', file: undefined } as const;

export class LocalIndexer implements IndexerService {
  readonly #options: LocalIndexerOptions;
  readonly #store: IndexerStore;
  readonly #scanners: RegisteredScanner[];
  readonly #state: string;

  private constructor(options: LocalIndexerOptions, scanners: RegisteredScanner[]) {
    this.#options = options;
    this.#store = options.store;
    this.#scanners = scanners;
    this.#state = indexerState(scanners.map((s) => s.scanner));
  }

  /** Registers the scanners (their ids are persisted with every result) and returns a ready indexer. */
  static async create(options: LocalIndexerOptions): Promise<LocalIndexer> {
    const scanners = scannersOf(options.ecosystems);
    const ids = await options.store.registerScanners(scanners);
    return new LocalIndexer(options, scanners.map((scanner, i) => ({ scanner, id: ids[i]! })));
  }

  /**
   * Indexes a manifest. `signal` is the caller's: when it aborts, the work
   * stops and nothing is persisted. Without it (a client that has gone is not
   * a reason to stop: the result is stored for the next request), the work
   * still ends by the deadline, with an IndexError report naming it.
   *
   * @throws ClairError `CLAIR_ERR_INDEX_TOO_MANY_LAYERS` for a manifest over the layer limit.
   * @throws ClairError `CLAIR_ERR_INDEX_TIMEOUT` when the deadline passes while another index of the manifest holds it.
   */
  async index(manifest: Manifest, signal?: AbortSignal): Promise<IndexReport> {
    const o = this.#options;
    const maxLayers = o.limits?.manifest_layers ?? DEFAULTS.indexer.limits.manifest_layers;
    if (manifest.layers.length > maxLayers) {
      throw clairError('INDEX_TOO_MANY_LAYERS', `index: manifest ${manifest.hash} has ${manifest.layers.length} layers, more than indexer.limits.manifest_layers (${maxLayers})`);
    }
    const log = o.log.child({ manifest: manifest.hash });
    const run = startRun(manifest.hash, o.limits?.index_timeout ?? DEFAULTS.indexer.limits.index_timeout, signal);
    try {
      const lease = await o.locks.lock(manifest.hash, { maxBackoffMs: o.lockRetryMs, signal: run.signal });
      try {
        log.info({ layers: manifest.layers.length }, 'index start');
        const report = await runController({
          manifest,
          report: newReport(manifest.hash),
          store: this.#store,
          locks: o.locks,
          ecosystems: o.ecosystems,
          resolvers: o.resolvers,
          scanners: this.#scanners,
          pending: [],
          openLayer: o.openLayer,
          scannerConfig: (s) => {
            const section = CONFIG_SECTION[s.kind];
            return section ? o.scannerConfig?.[section]?.[s.name] : undefined;
          },
          layerConcurrency: o.layerConcurrency,
          signal: run.signal,
          cancel: signal,
          fail: run.fail,
          log,
          fetched: new Map(),
        });
        log.info({ state: report.state, packages: Object.keys(report.packages).length }, 'index done');
        return report;
      } finally {
        await lease.release();
      }
    } finally {
      run.dispose();
    }
  }

  indexReport(digest: string): Promise<IndexReport | undefined> {
    return this.#store.indexReport(digest);
  }

  deleteManifests(digests: readonly string[]): Promise<string[]> {
    return this.#store.deleteManifests(digests);
  }

  async state(): Promise<string> {
    return this.#state;
  }

  affectedManifests(vulnerabilities: readonly Vulnerability[]): Promise<AffectedManifests> {
    return affectedManifests(this.#store, vulnerabilities, this.#options.affected);
  }
}
