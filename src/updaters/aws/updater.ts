/**
 * @module One ALAS updater per Amazon Linux release (claircore `aws.Updater`).
 *
 * Fetch: read the release's `mirror.list`, then for each mirror in turn
 * `repodata/repomd.xml` → the `updateinfo` entry. Its checksum is the
 * fingerprint: equal to the previous one means unchanged, and updateinfo is
 * not downloaded at all. Otherwise updateinfo is streamed to disk, hashed on
 * the way, and rejected unless the hash matches repomd's checksum (claircore
 * skips this check; a mirror serving a stale or torn file would otherwise be
 * stored under a fingerprint that does not describe it). A mirror that fails
 * hands over to the next; when all fail, the error says why for each.
 *
 * Parse: stream the advisories (gzip → SAX) into records.
 */
import { join } from 'node:path';
import { clairError, isClairError } from '../../lib/errors.js';
import type { VulnerabilityRecord } from '../../model/vulnerability-record.js';
import type { FetchOutcome, Updater, UpdaterContext } from '../updater.js';
import { download, fetchText } from '../download.js';
import { fetchMirrors } from './mirrors.js';
import { parseRepomd, type RepomdChecksum } from './repomd.js';
import { updateRecords } from './records.js';
import { AWS_RELEASE_INFO, awsUpdaterName, type AwsRelease } from './releases.js';
import { readUpdateinfo } from './updateinfo.js';

const FILE = 'updateinfo';
const REPOMD_LIMIT = 4 * 1024 * 1024; // 4 MiB: repomd.xml is a few KiB

/** repomd checksum types → node:crypto algorithms (`sha` is SHA-1 in yum). */
const ALGORITHMS: Readonly<Record<string, string>> = { sha: 'sha1', sha1: 'sha1', sha224: 'sha224', sha256: 'sha256', sha384: 'sha384', sha512: 'sha512', md5: 'md5' };

interface UpdateinfoLocation {
  url: string;
  checksum: RepomdChecksum;
  algorithm: string;
}

export interface AwsUpdaterOptions {
  release: AwsRelease;
  /** Overrides the release's default `mirror.list` URL. */
  mirrorList?: string | undefined;
}

/** Fetches and parses one release's ALAS updateinfo. */
export class AwsUpdater implements Updater {
  readonly name: string;
  readonly release: AwsRelease;
  readonly mirrorList: string;

  constructor(options: AwsUpdaterOptions) {
    this.release = options.release;
    this.name = awsUpdaterName(options.release);
    this.mirrorList = options.mirrorList ?? AWS_RELEASE_INFO[options.release].mirrorList;
  }

  /** Reads a mirror's repomd.xml and locates updateinfo in it. */
  async #locate(ctx: UpdaterContext, mirror: string): Promise<UpdateinfoLocation> {
    const repomdUrl = new URL('repodata/repomd.xml', mirror).href;
    const got = await fetchText(ctx, repomdUrl, { component: this.name, maxBytes: REPOMD_LIMIT });
    const data = parseRepomd(got.text, this.name, repomdUrl).find((d) => d.type === 'updateinfo');
    if (!data?.location || !data.checksum?.value) throw clairError('UPDATER_PARSE', `${this.name}: ${repomdUrl} lists no updateinfo with a location and checksum`);
    const algorithm = ALGORITHMS[data.checksum.type.toLowerCase()];
    if (!algorithm) throw clairError('UPDATER_PARSE', `${this.name}: ${repomdUrl}: unsupported checksum type ${JSON.stringify(data.checksum.type)}`);
    return { url: new URL(data.location, mirror).href, checksum: data.checksum, algorithm };
  }

  /** One mirror: unchanged, or downloaded and verified. */
  async #fromMirror(ctx: UpdaterContext, mirror: string, previous: string | undefined): Promise<FetchOutcome> {
    const loc = await this.#locate(ctx, mirror);
    const fingerprint = loc.checksum.value;
    if (fingerprint === previous) return { unchanged: true };
    const got = await download(ctx, loc.url, join(ctx.dir, FILE), { component: this.name, algorithm: loc.algorithm });
    if (got.digest !== fingerprint) {
      throw clairError('UPDATER_FETCH', `${this.name}: checksum mismatch for ${loc.url}: repomd.xml says ${loc.checksum.type} ${fingerprint}, got ${got.digest}`);
    }
    ctx.log.info({ url: loc.url, bytes: got.bytes, fingerprint }, 'aws updateinfo fetched');
    return { unchanged: false, fingerprint };
  }

  async fetch(ctx: UpdaterContext, previousFingerprint: string | undefined): Promise<FetchOutcome> {
    const mirrors = await fetchMirrors(ctx, this.mirrorList, this.name);
    const failures: Error[] = [];
    for (const mirror of mirrors) {
      try {
        const outcome = await this.#fromMirror(ctx, mirror, previousFingerprint);
        if (outcome.unchanged) ctx.log.info({ mirror }, 'aws updateinfo unchanged');
        return outcome;
      } catch (err) {
        if (ctx.signal.aborted) throw err;
        ctx.log.warn({ mirror, err }, 'aws mirror failed');
        failures.push(err instanceof Error ? err : new Error(String(err)));
      }
    }
    // One mirror: its own error (with its own code) says it all.
    if (failures.length === 1 && isClairError(failures[0])) throw failures[0];
    throw clairError('UPDATER_FETCH', `${this.name}: every mirror failed: ${failures.map((f) => f.message).join('; ')}`, { cause: failures[0] });
  }

  async *parse(ctx: UpdaterContext): AsyncIterable<VulnerabilityRecord> {
    const dist = AWS_RELEASE_INFO[this.release].distribution;
    for await (const update of readUpdateinfo(join(ctx.dir, FILE), this.name)) {
      if (ctx.signal.aborted) throw ctx.signal.reason;
      yield* updateRecords(update, this.name, dist);
    }
  }
}
