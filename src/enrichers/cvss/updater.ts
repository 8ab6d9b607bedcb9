/**
 * @module The `clair.cvss` enrichment updater (claircore `enricher/cvss`):
 * NVD's CVE JSON 2.0 feeds under `feed_root`, one per year from 2002 to the
 * current one (`nvdcve-2.0-<year>.json.gz`), each described by a `.meta`
 * file, plus the `modified` feed (recently changed CVEs, refreshed between
 * the yearly rebuilds).
 *
 * `fetch` reads every `.meta` first; the fingerprint is claircore's, a JSON
 * object mapping each year to its feed's sha256
 * (`{"2002":"D165…",…}`), so nothing is downloaded while no feed changed.
 * The `modified` feed's sha256 is kept under the key `"0"`, a year no feed
 * has, so the fingerprint still reads as claircore's `map[int]string` (a
 * bundle exported here and imported into Go Clair stays usable there). A
 * mirror without a `modified` feed (its `.meta` is 404) is fine: the key is
 * then absent. When any sha256 differs, every feed is downloaded, gzip as
 * it comes, into the run directory.
 *
 * `parse` streams the records out of them (see `feed.ts`): the `modified`
 * feed first, whose CVEs then win over their older copies in the yearly
 * feeds. A feed that is cut short or malformed fails the run, and the
 * previous data stays in force.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { mapLimit } from '../../lib/concurrency.js';
import { clairError } from '../../lib/errors.js';
import type { Lint } from '../../lib/config-lint.js';
import type { EnrichmentRecord } from '../../model/enrichment.js';
import { ConfigBlock } from '../../updaters/config-block.js';
import { displayUrl, download, fetchText } from '../../updaters/download.js';
import type { EnrichmentUpdater } from '../../updaters/enrichment.js';
import type { FetchOutcome, UpdaterContext } from '../../updaters/updater.js';
import { newTally, readNvdFeed } from './feed.js';
import { parseFeedMeta } from './meta.js';

/** The enricher's name: its updater set, update operations and config block. Persisted. */
export const CVSS_NAME = 'clair.cvss';
/** Where claircore looks for the feeds. */
export const DEFAULT_CVSS_FEED_ROOT = 'https://nvd.nist.gov/feeds/json/cve/2.0/';
/** The first year NVD publishes a feed for. */
export const FIRST_FEED_YEAR = 2002;
/** The fingerprint key of the `modified` feed. */
const MODIFIED_KEY = '0';
const MODIFIED = 'modified';
/** Feeds fetched at once. */
const CONCURRENCY = 4;
/** A `.meta` file is five short lines. */
const META_MAX_BYTES = 16 * 1024;

export interface CvssConfig {
  /** Ends in `/`; the feeds are resolved against it. */
  feedRoot: string;
}

/** Reads `updaters.config.clair.cvss`: `feed_root`, an http(s) URL ending in `/` (claircore's `Config.FeedRoot`). */
export function parseCvssConfig(raw: unknown): { config: CvssConfig; lints: Lint[] } {
  const block = new ConfigBlock(CVSS_NAME, raw, ['feed_root']);
  const root = block.url('feed_root');
  if (root !== undefined && !root.endsWith('/')) throw block.invalid('feed_root', `URL missing trailing slash: ${JSON.stringify(root)}`);
  return { config: { feedRoot: root ?? DEFAULT_CVSS_FEED_ROOT }, lints: block.lints };
}

export interface CvssUpdaterOptions {
  /** The clock deciding the last year fetched (tests). */
  now?: () => Date;
}

const feedFile = (feed: string) => `nvdcve-2.0-${feed}.json.gz`;
/** What `fetch` downloaded, in parse order (`modified`, then the years), for `parse`: the year may have turned in between. */
const MANIFEST = 'feeds.json';

export class CvssUpdater implements EnrichmentUpdater {
  readonly name = CVSS_NAME;
  readonly kind = 'enrichment' as const;
  #config: CvssConfig;
  readonly #now: () => Date;

  constructor(config: CvssConfig, options: CvssUpdaterOptions = {}) {
    this.#config = config;
    this.#now = options.now ?? (() => new Date());
  }

  configure(raw: unknown): Lint[] {
    const { config, lints } = parseCvssConfig(raw);
    this.#config = config;
    return lints;
  }

  /** The yearly feeds, 2002 to this year. */
  years(): string[] {
    const last = this.#now().getUTCFullYear();
    return Array.from({ length: last - FIRST_FEED_YEAR + 1 }, (_, i) => String(FIRST_FEED_YEAR + i));
  }

  #url(file: string): URL {
    return new URL(file, this.#config.feedRoot);
  }

  /** A feed's sha256 from its `.meta`; `undefined` for a `modified` feed the mirror does not have. */
  async #metaDigest(ctx: UpdaterContext, feed: string): Promise<string | undefined> {
    const url = this.#url(`nvdcve-2.0-${feed}.meta`);
    const optional = feed === MODIFIED;
    const got = await fetchText(ctx, url, { component: CVSS_NAME, maxBytes: META_MAX_BYTES, tolerate: optional ? [404] : [] });
    if (got.status === 404) return undefined;
    const meta = parseFeedMeta(got.text);
    if (typeof meta === 'string') throw clairError('UPDATER_PARSE', `${CVSS_NAME}: malformed meta file ${displayUrl(url)}: ${meta}`);
    return meta.sha256;
  }

  async fetch(ctx: UpdaterContext, previousFingerprint: string | undefined): Promise<FetchOutcome> {
    const previous = readFingerprint(previousFingerprint, ctx);
    const feeds = [MODIFIED, ...this.years()];
    const digests = await mapLimit(feeds, CONCURRENCY, (feed) => this.#metaDigest(ctx, feed));
    const current: Record<string, string> = {};
    feeds.forEach((feed, i) => {
      const digest = digests[i];
      if (digest !== undefined) current[feed === MODIFIED ? MODIFIED_KEY : feed] = digest;
    });
    const changed = Object.entries(current).filter(([key, digest]) => previous[key] !== digest).map(([key]) => (key === MODIFIED_KEY ? MODIFIED : key));
    if (changed.length === 0) return { unchanged: true };
    ctx.log.info({ changed }, 'cvss feeds changed');
    const wanted = feeds.filter((feed) => current[feed === MODIFIED ? MODIFIED_KEY : feed] !== undefined);
    await mapLimit(wanted, CONCURRENCY, (feed) => download(ctx, this.#url(feedFile(feed)), join(ctx.dir, feedFile(feed)), { component: CVSS_NAME }));
    await writeFile(join(ctx.dir, MANIFEST), JSON.stringify(wanted));
    return { unchanged: false, fingerprint: JSON.stringify(current) };
  }

  async *parse(ctx: UpdaterContext): AsyncIterable<EnrichmentRecord> {
    const feeds = JSON.parse(await readFile(join(ctx.dir, MANIFEST), 'utf8')) as string[];
    const tally = newTally();
    // The CVEs of the newer `modified` feed, whose copies in the yearly feeds are older.
    const modified = new Set<string>();
    for (const feed of feeds) {
      const options = feed === MODIFIED ? { seen: modified } : { skip: modified };
      yield* readNvdFeed(join(ctx.dir, feedFile(feed)), true, { component: `${CVSS_NAME}: ${feedFile(feed)}`, tally, ...options });
    }
    if (tally.badVectors > 0) ctx.log.warn({ count: tally.badVectors, example: tally.badVectorExample }, 'cvss scores with malformed vectors left out');
    ctx.log.info({ written: tally.written, skipped: tally.skipped, scoreMismatches: tally.scoreMismatches }, 'cvss feeds read');
  }
}

/** claircore's fingerprint: year (or `"0"` for `modified`) → upper-case sha256. One that does not read as such means "changed". */
function readFingerprint(previous: string | undefined, ctx: UpdaterContext): Record<string, string> {
  if (previous === undefined || previous === '') return {};
  try {
    const value: unknown = JSON.parse(previous);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      return Object.fromEntries(Object.entries(value).filter((e): e is [string, string] => typeof e[1] === 'string'));
    }
  } catch {
    // fall through
  }
  ctx.log.warn({ fingerprint: previous.slice(0, 100) }, 'cvss previous fingerprint unreadable; fetching everything');
  return {};
}
