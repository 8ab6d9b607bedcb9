/**
 * @module The `clair.epss` enrichment updater (claircore `enricher/epss`):
 * FIRST's daily EPSS scores. The file is claircore's default, yesterday's
 * `https://epss.cyentia.com/epss_scores-YYYY-MM-DD.csv.gz` (UTC), or the
 * `url` configured (which, as upstream, must name a `.gz` file).
 *
 * The fingerprint is the response's ETag, as upstream (else its
 * Last-Modified, else the body's digest): the download is conditional on
 * it, and a 304 or the same validator again makes no new operation. The
 * file is stored compressed and streamed through `csv.ts` by `parse`.
 */
import { join } from 'node:path';
import type { Lint } from '../../lib/config-lint.js';
import type { EnrichmentRecord } from '../../model/enrichment.js';
import { ConfigBlock } from '../../updaters/config-block.js';
import { downloadFingerprinted } from '../../updaters/download.js';
import type { EnrichmentUpdater } from '../../updaters/enrichment.js';
import type { FetchOutcome, UpdaterContext } from '../../updaters/updater.js';
import { readEpss, type EpssTally } from './csv.js';

/** The enricher's name: its updater set, update operations and config block. Persisted. */
export const EPSS_NAME = 'clair.epss';
/** Where claircore looks for the daily file. */
export const DEFAULT_EPSS_BASE_URL = 'https://epss.cyentia.com/';

const FILE = 'epss_scores.csv.gz';

export interface EpssConfig {
  /** The file to fetch; undefined means yesterday's at {@link DEFAULT_EPSS_BASE_URL}. */
  url: string | undefined;
}

/** Reads `updaters.config.clair.epss`: `url`, an http(s) URL of a `.gz` file (claircore's `Config.URL`). */
export function parseEpssConfig(raw: unknown): { config: EpssConfig; lints: Lint[] } {
  const block = new ConfigBlock(EPSS_NAME, raw, ['url']);
  const url = block.url('url');
  if (url !== undefined && !new URL(url).pathname.endsWith('.gz')) throw block.invalid('url', `expected a '.gz' file, got ${JSON.stringify(url)}`);
  return { config: { url }, lints: block.lints };
}

/** claircore's default: yesterday's file (here by the UTC calendar). */
export function defaultEpssUrl(now: Date): string {
  const yesterday = new Date(now.getTime() - 24 * 60 * 60 * 1000).toISOString().slice(0, 10);
  return new URL(`epss_scores-${yesterday}.csv.gz`, DEFAULT_EPSS_BASE_URL).href;
}

export interface EpssUpdaterOptions {
  now?: () => Date;
}

export class EpssUpdater implements EnrichmentUpdater {
  readonly name = EPSS_NAME;
  readonly kind = 'enrichment' as const;
  #config: EpssConfig;
  readonly #now: () => Date;

  constructor(config: EpssConfig, options: EpssUpdaterOptions = {}) {
    this.#config = config;
    this.#now = options.now ?? (() => new Date());
  }

  configure(raw: unknown): Lint[] {
    const { config, lints } = parseEpssConfig(raw);
    this.#config = config;
    return lints;
  }

  /** The file this run fetches. */
  url(): string {
    return this.#config.url ?? defaultEpssUrl(this.#now());
  }

  async fetch(ctx: UpdaterContext, previousFingerprint: string | undefined): Promise<FetchOutcome> {
    const got = await downloadFingerprinted(ctx, this.url(), join(ctx.dir, FILE), { component: EPSS_NAME, previous: previousFingerprint, prefer: 'etag' });
    return got.unchanged ? got : { unchanged: false, fingerprint: got.fingerprint };
  }

  async *parse(ctx: UpdaterContext): AsyncIterable<EnrichmentRecord> {
    const tally: EpssTally = { written: 0, invalid: 0 };
    yield* readEpss(join(ctx.dir, FILE), true, EPSS_NAME, tally);
    if (tally.invalid > 0) ctx.log.warn({ count: tally.invalid, example: tally.invalidExample }, 'epss rows with invalid numbers skipped');
    ctx.log.info({ written: tally.written }, 'epss file read');
  }
}
