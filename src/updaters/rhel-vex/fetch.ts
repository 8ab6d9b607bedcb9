/**
 * @module Fetching the Red Hat VEX tree. Every changed run downloads a
 * complete view, because the store keeps each run's full record set:
 *
 * 1. `changes.csv` and `deletions.csv` with `If-None-Match` on the previous
 *    ETags; both unchanged (and the same parser version) → `unchanged`.
 * 2. `archive_latest.txt` → the `.tar.zst` archive, spooled; its
 *    Last-Modified time is the cut-off (else the date in its name).
 * 3. The documents listed in `changes.csv` at or after the cut-off, spooled
 *    individually; `deletions.csv` entries at or after it are recorded
 *    ({@link planUpdates}).
 */
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { FetchOutcome, UpdaterContext } from '../updater.js';
import { clairError } from '../../lib/errors.js';
import { mapLimit } from '../../lib/concurrency.js';
import { download, downloadToFile, fetchText, type Downloaded, type Naming } from '../download.js';
import type { RhelVexConfig } from './config.js';
import { fingerprintVersion, formatFingerprint, parseFingerprint, rfc3339Seconds, type Fingerprint } from './fingerprint.js';
import { planUpdates } from './plan.js';
import { ARCHIVE_FILE, DOCS_DIR, writeRunState } from './state.js';

/** Individual documents downloaded at once. */
const DOCUMENT_CONCURRENCY = 8;
const ARCHIVE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

const ARCHIVE_LATEST_LIMIT = 64 * 1024; // 64 KiB: the file holds one archive name

/** How the VEX updater's fetch errors read (its operators know these). */
const NAMING: Naming = {
  component: 'rhel-vex',
  wording: {
    failed: (url, reason) => `rhel-vex: fetching ${url} failed: ${reason}`,
    status: (url, status) => `rhel-vex: unexpected status ${status} fetching ${url}`,
    download: (url, reason) => `rhel-vex: fetching ${url} failed: ${reason}`,
    read: (url, reason) => `rhel-vex: fetching ${url} failed: ${reason}`,
  },
};

/** Streams `url` into `file`, creating its directory. */
async function spool(ctx: UpdaterContext, url: URL, file: string, signal?: AbortSignal): Promise<Downloaded> {
  await mkdir(dirname(file), { recursive: true });
  return download(ctx, url, file, { ...NAMING, signal });
}

type IndexOutcome = { unchanged: true } | { unchanged: false; etag: string };

/** GETs an index file, conditionally on `etag`, spooling it when it changed. */
async function fetchIndex(ctx: UpdaterContext, base: string, name: string, etag: string): Promise<IndexOutcome> {
  const got = await downloadToFile(ctx, new URL(name, base), join(ctx.dir, name), {
    ...NAMING,
    etag: etag === '' ? undefined : etag,
    // Some servers ignore If-None-Match; an equal ETag on a 200 means the same as a 304.
    unchangedIf: (v) => etag !== '' && (v.etag ?? '') === etag,
  });
  return got.unchanged ? got : { unchanged: false, etag: got.etag ?? '' };
}

/** Downloads the latest archive; resolves with its name and cut-off time. */
async function fetchArchive(ctx: UpdaterContext, config: RhelVexConfig): Promise<{ name: string; cutoff: Date }> {
  const latestUrl = new URL('archive_latest.txt', config.baseUrl);
  const name = (await fetchText(ctx, latestUrl, { ...NAMING, maxBytes: ARCHIVE_LATEST_LIMIT })).text.trim();
  if (!ARCHIVE_NAME.test(name)) throw clairError('UPDATER_PARSE', `rhel-vex: archive_latest.txt names an unexpected file ${JSON.stringify(name.slice(0, 200))}`);
  const url = new URL(name, config.baseUrl);
  const signal = AbortSignal.any([ctx.signal, AbortSignal.timeout(config.compressedFileTimeoutMs)]);
  const got = await spool(ctx, url, join(ctx.dir, ARCHIVE_FILE), signal);
  let cutoff = got.lastModified === undefined ? undefined : new Date(got.lastModified);
  if (cutoff === undefined || Number.isNaN(cutoff.getTime())) {
    // Red Hat names archives by date; midnight of that day is earlier than the
    // real cut-off, so at worst a few documents are fetched twice.
    const day = /(\d{4}-\d{2}-\d{2})/.exec(name)?.[1];
    cutoff = day === undefined ? undefined : new Date(`${day}T00:00:00Z`);
    if (cutoff === undefined || Number.isNaN(cutoff.getTime())) {
      throw clairError('UPDATER_FETCH', `rhel-vex: ${url.href} has no Last-Modified header and no date in its name`);
    }
  }
  return { name, cutoff };
}

/** The previous fingerprint, when it is one of ours. */
function previousFingerprint(ctx: UpdaterContext, previous: string | undefined): Fingerprint | undefined {
  if (previous === undefined || previous === '') return undefined;
  const parsed = parseFingerprint(previous);
  if (parsed.ok) return parsed.fingerprint;
  // A fingerprint we cannot read only costs a full run; failing would block the updater for good.
  ctx.log.warn({ reason: parsed.reason }, 'rhel-vex previous fingerprint unreadable');
  return undefined;
}

/**
 * The updater's `fetch`.
 *
 * @throws ClairError `CLAIR_ERR_UPDATER_FETCH` / `CLAIR_ERR_UPDATER_PARSE`.
 */
export async function fetchVex(ctx: UpdaterContext, config: RhelVexConfig, previous: string | undefined): Promise<FetchOutcome> {
  const version = fingerprintVersion(config);
  const prev = previousFingerprint(ctx, previous);
  const sameVersion = prev !== undefined && prev.version === version;
  let changes = await fetchIndex(ctx, config.baseUrl, 'changes.csv', sameVersion ? prev.changesEtag : '');
  let deletions = await fetchIndex(ctx, config.baseUrl, 'deletions.csv', sameVersion ? prev.deletionsEtag : '');
  if (changes.unchanged && deletions.unchanged) {
    ctx.log.info({ changesEtag: prev?.changesEtag, deletionsEtag: prev?.deletionsEtag }, 'rhel-vex unchanged');
    return { unchanged: true };
  }
  // Every stored set is complete, so the index reported unchanged is needed in full too.
  if (changes.unchanged) changes = await fetchIndex(ctx, config.baseUrl, 'changes.csv', '');
  if (deletions.unchanged) deletions = await fetchIndex(ctx, config.baseUrl, 'deletions.csv', '');
  if (changes.unchanged || deletions.unchanged) throw clairError('UPDATER_FETCH', 'rhel-vex: server answered "not modified" to an unconditional request');

  const archive = await fetchArchive(ctx, config);
  const plan = await planUpdates(join(ctx.dir, 'changes.csv'), join(ctx.dir, 'deletions.csv'), archive.cutoff);
  await mapLimit(plan.changed, DOCUMENT_CONCURRENCY, async (path) => {
    const url = new URL(path, config.baseUrl);
    await spool(ctx, url, join(ctx.dir, DOCS_DIR, path));
  });
  await writeRunState(ctx.dir, { archiveName: archive.name, cutoff: archive.cutoff.toISOString(), changed: plan.changed, deleted: plan.deleted });
  ctx.log.info({ archive: archive.name, cutoff: archive.cutoff.toISOString(), changed: plan.changed.length, deleted: plan.deleted.length }, 'rhel-vex fetched');
  return {
    unchanged: false,
    fingerprint: formatFingerprint({ changesEtag: changes.etag, deletionsEtag: deletions.etag, requestTime: rfc3339Seconds(new Date()), version }),
  };
}
