/**
 * @module `clairctl export-updaters`: runs the configured updaters exactly as
 * the matcher builds them (`updaters.sets` and `updaters.config`, through
 * {@link resolvePlugins} and {@link buildUpdaters}) and writes what each one
 * fetches and parses into a bundle, with its fingerprint, instead of a
 * database. Enrichers' updaters (`clair.cvss`, `clair.epss`, `clair.kev`,
 * when the configuration enables them) are exported too, as operations of
 * kind `enrichment`.
 *
 * Every updater fetches afresh (there is no previous fingerprint), several
 * at once; each operation is spooled and only complete ones reach the
 * bundle (see `updaters/bundle/writer.ts`), so memory stays bounded and a
 * failing updater leaves no trace but a log line. As upstream, failures
 * are logged and the export succeeds unless `strict` is set.
 */
import { createWriteStream } from 'node:fs';
import { mkdtemp, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import type { Writable } from 'node:stream';
import type { Logger } from 'pino';
import type { Config } from '../../config/types.js';
import { mapLimit } from '../../lib/concurrency.js';
import { clairError, isClairError } from '../../lib/errors.js';
import { createHttpClient, type HttpClient } from '../../lib/http-client.js';
import type { VulnerabilityRecord } from '../../model/index.js';
import type { EnrichmentRecord } from '../../model/enrichment.js';
import { BundleWriter, newOperationHeader, type BundleCompression } from '../../updaters/bundle/index.js';
import { buildUpdaters, configureUpdater } from '../../updaters/manager.js';
import { isEnrichmentUpdater, type AnySetFactory, type AnyUpdater } from '../../updaters/enrichment.js';
import { resolvePlugins } from '../plugins.js';

/** Updaters fetching and parsing at once, as the matcher's default. */
export const EXPORT_CONCURRENCY = 4;

export interface ExportOptions {
  config: Config;
  /** Only these sets (`-s`); each must be one the config enables. Empty or absent: all of them. */
  sets?: readonly string[] | undefined;
  /** A file path, or `-` for standard output. */
  target: string;
  compression: BundleCompression;
  log: Logger;
  /** Fail (after writing the bundle) when any updater or set failed. */
  strict?: boolean | undefined;
  http?: HttpClient | undefined;
  /** Standard output, for `-` (default `process.stdout`). */
  stdout?: Writable | undefined;
  /** Where downloads and spool files go (default the OS temp dir). */
  tmpDir?: string | undefined;
  concurrency?: number | undefined;
  signal?: AbortSignal | undefined;
}

export interface ExportedUpdater {
  updater: string;
  fingerprint: string;
  ref: string;
  records: number;
}

export interface ExportResult {
  exported: ExportedUpdater[];
  /** Updaters (or `set <name>` for a set that failed to build) that failed; not in the bundle. */
  failed: string[];
  /** Bytes written to the bundle. */
  bytes: number;
}

/** The sets to run: the config's, narrowed to `wanted`. */
export function exportFactories(config: Config, wanted: readonly string[] | undefined): AnySetFactory[] {
  const { factories } = resolvePlugins(config, 'matcher');
  if (wanted === undefined || wanted.length === 0) return factories;
  const enabled = new Map(factories.map((f) => [f.name, f]));
  const unknown = wanted.filter((name) => !enabled.has(name));
  if (unknown.length > 0) {
    const list = enabled.size > 0 ? [...enabled.keys()].join(', ') : config.matcher.disable_updaters ? 'none, because matcher.disable_updaters is true' : 'none';
    throw clairError('CLI_USAGE', `export-updaters: -s/--set ${unknown.map((n) => JSON.stringify(n)).join(', ')}: not an updater set this configuration enables (updaters.sets enables: ${list})`);
  }
  return [...new Set(wanted)].map((name) => enabled.get(name)!);
}

interface Output {
  stream: Writable;
  /** Whether the stream is ours to end (a file), not standard output. */
  owned: boolean;
  /** Moves the finished file into place. */
  commit(): Promise<void>;
  /** Removes a file left unfinished. */
  discard(): Promise<void>;
}

/** The bundle's destination: a temporary file beside `target`, renamed into place once complete, or standard output. */
async function openOutput(target: string, stdout: Writable): Promise<Output> {
  if (target === '-') return { stream: stdout, owned: false, commit: async () => {}, discard: async () => {} };
  const partial = join(dirname(target), `.${basename(target)}.partial-${process.pid}`);
  const stream = createWriteStream(partial);
  await new Promise<void>((resolve, reject) => {
    stream.once('open', () => resolve());
    stream.once('error', (err) => reject(clairError('BUNDLE_INPUT', `export-updaters: cannot create ${target}: ${err.message}`, { cause: err })));
  });
  return {
    stream,
    owned: true,
    commit: () => rename(partial, target),
    discard: async () => {
      stream.destroy();
      await rm(partial, { force: true });
    },
  };
}

/**
 * Runs the updaters and writes the bundle.
 *
 * @throws ClairError `CLI_USAGE` for an unknown `-s` set, `BUNDLE_INPUT` when
 *   the output cannot be written, `BUNDLE_EXPORT_INCOMPLETE` under `strict`
 *   when something failed (the bundle is complete for the rest).
 */
export async function exportUpdaters(o: ExportOptions): Promise<ExportResult> {
  const factories = exportFactories(o.config, o.sets);
  const log = o.log.child({ component: 'export' });
  const signal = o.signal ?? new AbortController().signal;
  const http = o.http ?? createHttpClient();
  // The output first: a target that cannot be created fails before anything runs.
  const output = await openOutput(o.target, o.stdout ?? process.stdout);
  const tmp = await mkdtemp(join(o.tmpDir ?? tmpdir(), 'clair-export-')).catch(async (err: unknown) => {
    await output.discard();
    throw err;
  });
  const writer = new BundleWriter({ out: output.stream, compression: o.compression, tmpDir: tmp, endOutput: output.owned });
  const exported: ExportedUpdater[] = [];
  const failed: string[] = [];
  let complete = false;
  try {
    const built = await buildUpdaters({ factories, config: o.config.updaters.config, http, log, signal });
    failed.push(...built.failedSets.map((s) => `set ${s}`));
    log.info({ sets: factories.map((f) => f.name), updaters: built.updaters.length, compression: o.compression }, 'export start');
    if (factories.length === 0) log.warn({ disableUpdaters: o.config.matcher.disable_updaters }, 'export has no updater set to run: updaters.sets is empty, or matcher.disable_updaters is true (use the connected Clair\'s configuration)');
    try {
      await mapLimit(built.updaters, o.concurrency ?? EXPORT_CONCURRENCY, async (updater) => {
        const done = await exportOne(updater, { config: o.config, http, signal, log, tmp, writer });
        if (done === undefined) failed.push(updater.name);
        else exported.push(done);
      });
      await writer.close();
      await output.commit();
    } catch (err) {
      // Updaters' own failures are counted above; what reaches here is the output's.
      if (isClairError(err)) throw err;
      throw clairError('BUNDLE_INPUT', `export-updaters: writing ${o.target === '-' ? 'standard output' : o.target} failed: ${(err as Error).message}`, { cause: err });
    }
    complete = true;
  } finally {
    if (!complete) {
      await writer.close().catch(() => {});
      await output.discard();
    }
    await rm(tmp, { recursive: true, force: true });
  }
  const records = exported.reduce((n, e) => n + e.records, 0);
  log.info({ updaters: exported.length, records, failed: failed.length, bytes: writer.bytes }, 'export done');
  if (failed.length > 0) log.warn({ failed }, 'export incomplete: these updaters are not in the bundle');
  if (o.strict && failed.length > 0) {
    throw clairError('BUNDLE_EXPORT_INCOMPLETE', `export-updaters: ${failed.length} failed (${failed.join(', ')}); the bundle holds the ${exported.length} that succeeded`);
  }
  return { exported, failed, bytes: writer.bytes };
}

interface RunContext {
  config: Config;
  http: HttpClient;
  signal: AbortSignal;
  log: Logger;
  tmp: string;
  writer: BundleWriter;
}

/** Configures, fetches and parses one updater into the bundle; `undefined` when it failed (logged). An output failure is thrown. */
async function exportOne(updater: AnyUpdater, c: RunContext): Promise<ExportedUpdater | undefined> {
  const log = c.log.child({ updater: updater.name });
  try {
    configureUpdater(updater, c.config.updaters.config, log);
  } catch (err) {
    log.warn({ err }, 'updater configuration refused; not exported');
    return undefined;
  }
  const dir = await mkdtemp(join(c.tmp, 'updater-'));
  const ctx = { dir, http: c.http, signal: c.signal, log };
  try {
    let fingerprint: string;
    try {
      const fetched = await updater.fetch(ctx, undefined);
      if (fetched.unchanged) {
        log.warn({}, 'updater reported unchanged without a previous fingerprint; not exported');
        return undefined;
      }
      fingerprint = fetched.fingerprint;
    } catch (err) {
      log.warn({ err }, 'updater failed; not exported');
      return undefined;
    }
    const header = newOperationHeader(updater.name, fingerprint, isEnrichmentUpdater(updater) ? 'enrichment' : 'vulnerability');
    let parseError: unknown;
    const records = async function* (): AsyncGenerator<VulnerabilityRecord | EnrichmentRecord> {
      try {
        yield* updater.parse(ctx);
      } catch (err) {
        parseError = err ?? new Error('updater parse failed');
        throw err;
      }
    };
    let added;
    try {
      added = await c.writer.add(header, records());
    } catch (err) {
      // The updater's own failure leaves nothing in the bundle; anything else (the output) ends the export.
      if (parseError === undefined) throw err;
      log.warn({ err }, 'updater failed; not exported');
      return undefined;
    }
    // No records, no lines: the format has no empty operations (as upstream).
    log.info({ ref: header.ref, records: added.records, bytes: added.bytes }, added.records === 0 ? 'updater exported nothing: no records' : 'updater exported');
    return { updater: updater.name, fingerprint, ref: header.ref, records: added.records };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
