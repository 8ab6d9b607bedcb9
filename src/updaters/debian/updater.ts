/**
 * @module The `debian/updater` (claircore `debian.updater`): one updater for
 * every Debian release, fed by the security tracker's JSON dump.
 *
 * fetch: a conditional GET of the tracker JSON (If-Modified-Since from the
 * previous fingerprint, which is the response's Last-Modified as upstream),
 * streamed to `tracker.json`; then the numbered releases (the built-in
 * table plus what the mirror's `dists/` lists), written to `releases.json`
 * so that parse needs nothing but the run directory. Only the tracker is
 * essential: a mirror that cannot be listed is logged and the table used.
 * parse: streams the JSON one CVE entry at a time.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { clairError } from '../../lib/errors.js';
import type { VulnerabilityRecord } from '../../model/index.js';
import type { Lint } from '../../lib/config-lint.js';
import type { FetchOutcome, Updater, UpdaterContext } from '../updater.js';
import { downloadFingerprinted } from '../download.js';
import { DEBIAN_UPDATER_NAME, parseDebianUpdaterConfig, type DebianConfig } from './config.js';
import { RecordBuilder } from './records.js';
import { debianReleases, type DebianRelease } from './releases.js';
import { cveEntries, readTracker } from './tracker.js';

/** The tracker JSON, as downloaded, inside the run directory. */
export const TRACKER_FILE = 'tracker.json';
/** The numbered releases `fetch` found (`{releases: [{codeName, versionId}]}`). */
export const RELEASES_FILE = 'releases.json';

function isRelease(v: unknown): v is DebianRelease {
  if (typeof v !== 'object' || v === null) return false;
  const r = v as Record<string, unknown>;
  return typeof r.codeName === 'string' && typeof r.versionId === 'number';
}

/** Debian's vulnerability updater. */
export class DebianUpdater implements Updater {
  readonly name = DEBIAN_UPDATER_NAME;
  readonly #config: DebianConfig;
  /** `json_url` from `updaters.config.debian/updater`, which wins over the set's. */
  #jsonUrl: string | undefined;

  constructor(config: DebianConfig) {
    this.#config = config;
  }

  /** The tracker URL this updater fetches. */
  get jsonUrl(): string {
    return this.#jsonUrl ?? this.#config.jsonUrl;
  }

  /**
   * Applies `updaters.config.debian/updater` (claircore `updater.Configure`):
   * `json_url` replaces the tracker URL; `url` and `dists_url` are refused.
   */
  configure(config: unknown): Lint[] {
    const { config: parsed, lints } = parseDebianUpdaterConfig(config);
    this.#jsonUrl = parsed.jsonUrl;
    return lints;
  }

  /** Downloads the tracker JSON and the release list into `ctx.dir`. */
  async fetch(ctx: UpdaterContext, previousFingerprint: string | undefined): Promise<FetchOutcome> {
    const jsonUrl = this.jsonUrl;
    const got = await downloadFingerprinted(ctx, jsonUrl, join(ctx.dir, TRACKER_FILE), { component: 'debian', previous: previousFingerprint, prefer: 'last-modified' });
    if (got.unchanged) {
      ctx.log.info({ url: jsonUrl }, 'debian unchanged');
      return { unchanged: true };
    }
    const releases = await debianReleases(ctx, ctx.log, this.#config.distsUrl);
    await writeFile(join(ctx.dir, RELEASES_FILE), JSON.stringify({ releases }));
    ctx.log.info({ bytes: got.bytes, releases: releases.map((r) => r.codeName), fingerprint: got.fingerprint }, 'debian fetched');
    return { unchanged: false, fingerprint: got.fingerprint };
  }

  /** Streams records from the files `fetch` left in `ctx.dir`. */
  async *parse(ctx: UpdaterContext): AsyncGenerator<VulnerabilityRecord> {
    const releases = await this.#releases(ctx.dir);
    const builder = new RecordBuilder(releases);
    let records = 0;
    let cves = 0;
    for await (const item of readTracker(join(ctx.dir, TRACKER_FILE), ctx.signal)) {
      cves++;
      for (const entry of cveEntries(item)) {
        const record = builder.record(entry);
        if (record === undefined) continue;
        records++;
        yield record;
      }
    }
    ctx.log.info({ cves, records }, 'debian parsed');
  }

  async #releases(dir: string): Promise<DebianRelease[]> {
    const file = join(dir, RELEASES_FILE);
    let parsed: unknown;
    try {
      parsed = JSON.parse(await readFile(file, 'utf8'));
    } catch (err) {
      throw clairError('UPDATER_PARSE', `debian: release list ${file} unreadable: ${(err as Error).message}`, { cause: err });
    }
    const list = (parsed as { releases?: unknown }).releases;
    if (!Array.isArray(list) || !list.every(isRelease)) throw clairError('UPDATER_PARSE', `debian: release list ${file} is malformed`);
    return list;
  }
}
