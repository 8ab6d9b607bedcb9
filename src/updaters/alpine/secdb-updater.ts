/**
 * @module One updater per secdb JSON file (an Alpine release×repository, or
 * the Wolfi/Chainguard feed). Fetching is conditional on the ETag, as in
 * claircore's alpine fetcher: the fingerprint is the ETag, a 304 or a 200
 * with the same ETag is "unchanged". When the server sends no ETag the
 * fingerprint falls back to `sha256:<hex>` of the body, so an unchanged
 * feed still makes no new update operation.
 */
import { join } from 'node:path';
import type { VulnerabilityRecord } from '../../model/vulnerability-record.js';
import type { FetchOutcome, Updater, UpdaterContext } from '../updater.js';
import { downloadToFile } from '../download.js';
import { readSecdb, type SecdbPackage } from './secdb.js';

/** Turns one package entry into records (the per-source mapping). */
export type SecdbRecordMapper = (pkg: SecdbPackage, updater: string) => Iterable<VulnerabilityRecord>;

export interface SecdbUpdaterOptions {
  /** Persisted updater name. */
  name: string;
  /** The secdb JSON URL. */
  url: string;
  toRecords: SecdbRecordMapper;
}

const FILE = 'secdb.json';

/** Fetches one secdb JSON file and streams its records. */
export class SecdbUpdater implements Updater {
  readonly name: string;
  /** The URL the updater was built with (discovered, or the set's `url`). */
  readonly defaultUrl: string;
  #override: string | undefined;
  readonly #toRecords: SecdbRecordMapper;

  constructor(options: SecdbUpdaterOptions) {
    this.name = options.name;
    this.defaultUrl = options.url;
    this.#toRecords = options.toRecords;
  }

  /** The secdb JSON URL fetched: a per-updater override, else the built-in one. */
  get url(): string {
    return this.#override ?? this.defaultUrl;
  }

  /** Sets (or, with `undefined`, clears) the per-updater URL override. */
  protected overrideUrl(url: string | undefined): void {
    this.#override = url;
  }

  async fetch(ctx: UpdaterContext, previousFingerprint: string | undefined): Promise<FetchOutcome> {
    const log = ctx.log.child({ url: this.url });
    log.debug({}, 'secdb fetch start');
    const etagHint = previousFingerprint?.startsWith('sha256:') ? undefined : previousFingerprint;
    const got = await downloadToFile(ctx, this.url, join(ctx.dir, FILE), {
      component: this.name,
      etag: etagHint,
      unchangedIf: ({ etag }) => etag !== undefined && etag === previousFingerprint,
    });
    if (got.unchanged) {
      log.info({}, 'secdb unchanged');
      return { unchanged: true };
    }
    const fingerprint = got.etag ?? `sha256:${got.digest}`;
    if (fingerprint === previousFingerprint) {
      log.info({}, 'secdb unchanged');
      return { unchanged: true };
    }
    log.info({ fingerprint, bytes: got.bytes }, 'secdb fetched');
    return { unchanged: false, fingerprint };
  }

  async *parse(ctx: UpdaterContext): AsyncIterable<VulnerabilityRecord> {
    for await (const pkg of readSecdb(join(ctx.dir, FILE), this.name)) {
      if (ctx.signal.aborted) throw ctx.signal.reason;
      yield* this.#toRecords(pkg, this.name);
    }
  }
}
