/**
 * @module The `clair.kev` enrichment updater (claircore `enricher/kev`):
 * CISA's Known Exploited Vulnerabilities catalog, from claircore's default
 * URL or the configured `feed_root` (claircore's JSON key for its `Feed`
 * setting: Clair hands updater blocks over as JSON, so that is the key Go
 * Clair reads).
 *
 * The fingerprint is the response's Last-Modified, as upstream (the CISA
 * server honours If-Modified-Since but not If-None-Match), else its ETag,
 * else the body's digest; a 304 or the same validator again makes no new
 * operation. The catalog is stored as it came and streamed through
 * `catalog.ts` by `parse`.
 */
import { join } from 'node:path';
import type { Lint } from '../../lib/config-lint.js';
import type { EnrichmentRecord } from '../../model/enrichment.js';
import { ConfigBlock } from '../../updaters/config-block.js';
import { downloadFingerprinted } from '../../updaters/download.js';
import type { EnrichmentUpdater } from '../../updaters/enrichment.js';
import type { FetchOutcome, UpdaterContext } from '../../updaters/updater.js';
import { readKevCatalog } from './catalog.js';

/** The enricher's name: its updater set, update operations and config block. Persisted. */
export const KEV_NAME = 'clair.kev';
/** claircore's `kev.DefaultFeed`. */
export const DEFAULT_KEV_URL = 'https://www.cisa.gov/sites/default/files/feeds/known_exploited_vulnerabilities.json';

const FILE = 'known_exploited_vulnerabilities.json';

export interface KevConfig {
  url: string;
}

/** Reads `updaters.config.clair.kev`: `feed_root`, the catalog's http(s) URL. */
export function parseKevConfig(raw: unknown): { config: KevConfig; lints: Lint[] } {
  const block = new ConfigBlock(KEV_NAME, raw, ['feed_root']);
  return { config: { url: block.url('feed_root') ?? DEFAULT_KEV_URL }, lints: block.lints };
}

export class KevUpdater implements EnrichmentUpdater {
  readonly name = KEV_NAME;
  readonly kind = 'enrichment' as const;
  #config: KevConfig;

  constructor(config: KevConfig) {
    this.#config = config;
  }

  configure(raw: unknown): Lint[] {
    const { config, lints } = parseKevConfig(raw);
    this.#config = config;
    return lints;
  }

  async fetch(ctx: UpdaterContext, previousFingerprint: string | undefined): Promise<FetchOutcome> {
    const got = await downloadFingerprinted(ctx, this.#config.url, join(ctx.dir, FILE), { component: KEV_NAME, previous: previousFingerprint, prefer: 'last-modified' });
    return got.unchanged ? got : { unchanged: false, fingerprint: got.fingerprint };
  }

  async *parse(ctx: UpdaterContext): AsyncIterable<EnrichmentRecord> {
    let written = 0;
    for await (const record of readKevCatalog(join(ctx.dir, FILE), KEV_NAME)) {
      written++;
      yield record;
    }
    ctx.log.info({ written }, 'kev catalog read');
  }
}
