/**
 * @module One updater per OVAL rpminfo file: fetch with `fetchOval`, parse
 * with `ovalRpmRecords`. Oracle, SUSE and Photon differ only in name, URL,
 * compression and how a definition becomes record prototypes. Each takes
 * claircore's per-updater `ovalutil.FetcherConfig` (`url`, `compression`)
 * from `updaters.config.<updater name>`.
 */
import { join } from 'node:path';
import type { Lint } from '../../lib/config-lint.js';
import { ConfigBlock } from '../config-block.js';
import type { FetchOutcome, Updater, UpdaterContext } from '../updater.js';
import type { VulnerabilityRecord } from '../../model/index.js';
import { parseCompression, type CompressionSetting } from '../../lib/compression.js';
import { fetchOval, OVAL_FILE } from './fetch.js';
import { ovalRpmRecords, type RecordPrototype } from './rpm.js';
import type { OvalDefinition } from './types.js';

/** One OVAL file and how its definitions become records. */
export interface OvalRpmUpdaterOptions {
  /** Persisted updater name. */
  name: string;
  url: string;
  compression: CompressionSetting;
  /** Record prototypes for a definition; `[]` skips it. */
  prototypes(def: OvalDefinition, updater: string): RecordPrototype[];
}

/** A checked `ovalutil.FetcherConfig`: what replaces the built-in URL and compression, if anything. */
export interface OvalFetcherConfig {
  url: string | undefined;
  compression: CompressionSetting | undefined;
}

/**
 * Reads `updaters.config.<updater name>` as claircore's
 * `ovalutil.Fetcher.Configure`: a non-empty `url` replaces the file's URL as
 * is; a non-empty `compression` (`auto`, `none`, `gz`/`gzip`, `bz2`/`bzip2`,
 * `zstd`) replaces its compression.
 *
 * @throws ClairError `CONFIG_INVALID` naming the key.
 */
export function parseOvalFetcherConfig(name: string, raw: unknown): { config: OvalFetcherConfig; lints: Lint[] } {
  const c = new ConfigBlock(name, raw, ['url', 'compression']);
  const compressionName = c.text('compression');
  let compression: CompressionSetting | undefined;
  if (compressionName !== undefined) {
    compression = parseCompression(compressionName);
    if (compression === undefined) throw c.invalid('compression', `unknown compression scheme ${JSON.stringify(compressionName)} (known: auto, none, gz, gzip, bz2, bzip2, zstd)`);
  }
  return { config: { url: c.url('url'), compression }, lints: c.lints };
}

/**
 * An updater of one OVAL file: its URL and compression (each replaceable by
 * `updaters.config.<updater name>`) and the shared fetch. Subclasses say how
 * the fetched file becomes records.
 */
export abstract class OvalFileUpdater implements Updater {
  readonly name: string;
  readonly #url: string;
  readonly #compression: CompressionSetting;
  #override: OvalFetcherConfig = { url: undefined, compression: undefined };

  constructor(name: string, url: string, compression: CompressionSetting) {
    this.name = name;
    this.#url = url;
    this.#compression = compression;
  }

  /** The URL fetched: the per-updater `url`, else the built-in one. */
  get url(): string {
    return this.#override.url ?? this.#url;
  }

  /** The compression applied: the per-updater `compression`, else the built-in one. */
  get compression(): CompressionSetting {
    return this.#override.compression ?? this.#compression;
  }

  /** Applies `updaters.config.<name>` (claircore `ovalutil.Fetcher.Configure`). */
  configure(config: unknown): Lint[] {
    const { config: parsed, lints } = parseOvalFetcherConfig(this.name, config);
    this.#override = parsed;
    return lints;
  }

  fetch(ctx: UpdaterContext, previous: string | undefined): Promise<FetchOutcome> {
    return fetchOval(ctx, previous, { url: this.url, compression: this.compression, component: this.name });
  }

  /** The records of the file `fetch` left at `join(ctx.dir, OVAL_FILE)`. */
  abstract parse(ctx: UpdaterContext): AsyncIterable<VulnerabilityRecord>;
}

/** An `Updater` over one OVAL rpminfo document. */
export class OvalRpmUpdater extends OvalFileUpdater {
  readonly #prototypes: OvalRpmUpdaterOptions['prototypes'];

  constructor(options: OvalRpmUpdaterOptions) {
    super(options.name, options.url, options.compression);
    this.#prototypes = options.prototypes;
  }

  parse(ctx: UpdaterContext): AsyncIterable<VulnerabilityRecord> {
    return ovalRpmRecords(join(ctx.dir, OVAL_FILE), {
      component: this.name,
      signal: ctx.signal,
      log: ctx.log,
      prototypes: (def) => this.#prototypes(def, this.name),
    });
  }
}

/** An `Updater` over one OVAL rpminfo document. */
export function ovalRpmUpdater(options: OvalRpmUpdaterOptions): OvalRpmUpdater {
  return new OvalRpmUpdater(options);
}
