/**
 * @module One OSV ecosystem bundle as an updater (claircore `osv/<eco>`):
 * `fetch` GETs `<root>/<Ecosystem>/all.zip` (Go's `JoinPath`, so the root's
 * last segment is kept with or without a trailing slash), or the URL
 * `updaters.config.osv/<eco>.url` names, conditionally into `ctx.dir`
 * (fingerprint: the ETag, else the content digest); `parse` streams the
 * archive's `<ID>.json` members and maps each advisory to records.
 */
import { join } from 'node:path';
import type { Lint } from '../../lib/config-lint.js';
import { clairError } from '../../lib/errors.js';
import { zipMembers, type ZipMember } from '../../lib/zip.js';
import { joinPath } from '../go-url.js';
import type { VulnerabilityRecord } from '../../model/vulnerability-record.js';
import { downloadToFile } from '../download.js';
import type { FetchOutcome, Updater, UpdaterContext } from '../updater.js';
import { parseOsvUpdaterConfig } from './config.js';
import { osvRecords, osvUpdaterName, skipReason } from './records.js';

const FILE = 'all.zip';

/** 64 MiB: the largest OSV record is a few hundred KiB. */
export const DEFAULT_MAX_ENTRY_BYTES = 64 * 1024 * 1024;

/** Fingerprint text: `etag:<etag>` or `sha256:<digest>` when the server sends no ETag. */
function fingerprintOf(etag: string | undefined, digest: string): string {
  return etag ? `etag:${etag}` : `sha256:${digest}`;
}

export class OsvUpdater implements Updater {
  readonly name: string;
  /** The bundle's URL under the set's root. */
  readonly defaultUrl: string;
  #override: string | undefined;

  /** `ecosystem` as `ecosystems.txt` spells it (`PyPI`, `crates.io`); `root` is the set's `url`. */
  constructor(
    readonly ecosystem: string,
    root: string,
  ) {
    this.name = osvUpdaterName(ecosystem);
    this.defaultUrl = joinPath(root, ecosystem, FILE).href;
  }

  /** The bundle's URL: the per-updater `url`, else the one under the set's root. */
  get url(): string {
    return this.#override ?? this.defaultUrl;
  }

  /** Applies `updaters.config.osv/<eco>` (claircore `UpdaterConfig`): `url` replaces the bundle URL. */
  configure(config: unknown): Lint[] {
    const { url, lints } = parseOsvUpdaterConfig(this.name, config);
    this.#override = url;
    return lints;
  }

  async fetch(ctx: UpdaterContext, previousFingerprint: string | undefined): Promise<FetchOutcome> {
    const prevEtag = previousFingerprint?.startsWith('etag:') ? previousFingerprint.slice('etag:'.length) : undefined;
    const out = await downloadToFile(ctx, this.url, join(ctx.dir, FILE), {
      component: this.name,
      etag: prevEtag,
      unchangedIf: ({ etag }) => prevEtag !== undefined && etag === prevEtag,
    });
    if (out.unchanged) return { unchanged: true };
    const fingerprint = fingerprintOf(out.etag, out.digest);
    if (fingerprint === previousFingerprint) return { unchanged: true };
    return { unchanged: false, fingerprint };
  }

  async *parse(ctx: UpdaterContext): AsyncIterable<VulnerabilityRecord> {
    const log = ctx.log.child({ component: 'updaters/osv', updater: this.name });
    const now = new Date();
    let advisories = 0;
    let skipped = 0;
    let records = 0;
    const members = zipMembers(join(ctx.dir, FILE), { maxEntryBytes: DEFAULT_MAX_ENTRY_BYTES, names: 'checked' });
    try {
      for (;;) {
        if (ctx.signal.aborted) throw ctx.signal.reason instanceof Error ? ctx.signal.reason : new Error('aborted');
        let next: IteratorResult<ZipMember>;
        try {
          next = await members.next();
        } catch (err) {
          throw clairError('UPDATER_PARSE', `${this.name}: ${FILE} is not a readable zip archive: ${(err as Error).message}`, { cause: err });
        }
        if (next.done) break;
        const { name, data } = next.value;
        if (!name.endsWith('.json')) continue;
        let advisory: unknown;
        try {
          advisory = JSON.parse(data.toString('utf8'));
        } catch (err) {
          throw clairError('UPDATER_PARSE', `${this.name}: ${name}: invalid JSON: ${(err as Error).message}`, { cause: err });
        }
        if (typeof advisory !== 'object' || advisory === null || Array.isArray(advisory)) {
          log.debug({ member: name }, 'osv member is not an object; skipped');
          skipped++;
          continue;
        }
        advisories++;
        const reason = skipReason(advisory as Record<string, unknown>, now);
        if (reason !== undefined) {
          log.debug({ member: name, reason }, 'skipping advisory');
          skipped++;
          continue;
        }
        for (const rec of osvRecords(advisory as Record<string, unknown>, this.ecosystem, now)) {
          records++;
          yield rec;
        }
      }
    } finally {
      // Closes the archive when the consumer stops early or an error is thrown.
      await members.return(undefined);
    }
    log.info({ advisories, skipped, records }, 'osv bundle parsed');
  }
}
