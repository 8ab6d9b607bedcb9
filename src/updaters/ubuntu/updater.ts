/**
 * @module `ubuntu/updater/<codename>` (claircore `ubuntu.updater`): one
 * release's CVE OVAL document.
 *
 * fetch: a conditional GET (If-None-Match from the previous fingerprint,
 * which is the ETag as upstream) of `com.ubuntu.<codename>.cve.oval.xml.bz2`,
 * streamed to disk as is.
 * parse: pass 1 decompresses to `oval.xml` while collecting the tests,
 * objects, states and variables; pass 2 streams the definitions from
 * `oval.xml` and joins each against those tables as soon as it closes. Two
 * passes because the tables follow the definitions in the document, and
 * holding every definition instead would cost memory proportional to the
 * feed.
 */
import { open } from 'node:fs/promises';
import { createReadStream, createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { Transform, Writable, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Lint } from '../../lib/config-lint.js';
import { createBunzip2 } from '../../lib/compression.js';
import { clairError, isClairError } from '../../lib/errors.js';
import type { VulnerabilityRecord } from '../../model/index.js';
import type { FetchOutcome, Updater, UpdaterContext } from '../updater.js';
import { downloadFingerprinted } from '../download.js';
import { parseUbuntuUpdaterConfig, ubuntuUpdaterName } from './config.js';
import { definitionHandlers, type Definition } from './oval-definitions.js';
import { emptyTables, tableHandlers, type OvalTables } from './oval-tables.js';
import { UbuntuRecordBuilder } from './records.js';
import { xmlFeeder, type XmlFeeder } from './xml.js';

/** The OVAL document as downloaded (bzip2 or plain), inside the run directory. */
export const DOWNLOAD_FILE = 'oval.download';
/** The decompressed document parse writes next to it. */
export const XML_FILE = 'oval.xml';

const CHUNK_BYTES = 64 * 1024; // 64 KiB: bounds the records pending between yields

/** An Ubuntu release, e.g. `{ codeName: 'jammy', versionId: '22.04' }`. */
export interface UbuntuRelease {
  codeName: string;
  versionId: string;
}

/** Feeds every chunk to an XML feeder on its way through. */
class XmlTap extends Transform {
  readonly #feeder: XmlFeeder;
  readonly #decoder = new StringDecoder('utf8');
  constructor(feeder: XmlFeeder) {
    super();
    this.#feeder = feeder;
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    try {
      this.#feeder.write(this.#decoder.write(chunk));
      done(null, chunk);
    } catch (err) {
      done(err as Error);
    }
  }
  override _flush(done: TransformCallback): void {
    try {
      this.#feeder.write(this.#decoder.end());
      this.#feeder.close();
      done();
    } catch (err) {
      done(err as Error);
    }
  }
}

const discard = (): Writable => new Writable({ write: (_c, _e, done) => done() });

async function isBzip2(file: string): Promise<boolean> {
  const fh = await open(file, 'r');
  try {
    const { buffer, bytesRead } = await fh.read(Buffer.alloc(3), 0, 3, 0);
    return bytesRead === 3 && buffer.toString('latin1') === 'BZh';
  } finally {
    await fh.close();
  }
}

/** One Ubuntu release's OVAL updater. */
export class UbuntuUpdater implements Updater {
  readonly name: string;
  readonly release: UbuntuRelease;
  /** The OVAL document's URL the set found (`.xml.bz2`, or plain `.xml`). */
  readonly defaultUrl: string;
  #override: string | undefined;

  constructor(release: UbuntuRelease, url: string) {
    this.release = release;
    this.defaultUrl = url;
    this.name = ubuntuUpdaterName(release.codeName);
  }

  /** The URL fetched: the per-updater `url`, else the one the set found. */
  get url(): string {
    return this.#override ?? this.defaultUrl;
  }

  /** Applies `updaters.config.ubuntu/updater/<codename>` (claircore `UpdaterConfig`): `url` replaces the document URL. */
  configure(config: unknown): Lint[] {
    const { config: parsed, lints } = parseUbuntuUpdaterConfig(this.name, config);
    this.#override = parsed.url;
    return lints;
  }

  /** Downloads the OVAL document into `ctx.dir`. */
  async fetch(ctx: UpdaterContext, previousFingerprint: string | undefined): Promise<FetchOutcome> {
    const got = await downloadFingerprinted(ctx, this.url, join(ctx.dir, DOWNLOAD_FILE), { component: this.name, previous: previousFingerprint, prefer: 'etag' });
    if (got.unchanged) {
      ctx.log.info({ url: this.url }, 'ubuntu unchanged');
      return { unchanged: true };
    }
    ctx.log.info({ url: this.url, bytes: got.bytes, fingerprint: got.fingerprint }, 'ubuntu fetched');
    return { unchanged: false, fingerprint: got.fingerprint };
  }

  /** Streams records from the document `fetch` left in `ctx.dir`. */
  async *parse(ctx: UpdaterContext): AsyncGenerator<VulnerabilityRecord> {
    const download = join(ctx.dir, DOWNLOAD_FILE);
    let compressed: boolean;
    try {
      compressed = await isBzip2(download);
    } catch (err) {
      throw clairError('UPDATER_PARSE', `${this.name}: ${DOWNLOAD_FILE} unreadable: ${(err as Error).message}`, { cause: err });
    }
    const xml = compressed ? join(ctx.dir, XML_FILE) : download;
    const tables = await this.#tables(download, compressed ? xml : undefined, ctx.signal);

    const builder = new UbuntuRecordBuilder(this.name, this.release.versionId, this.release.codeName);
    let pending: Definition[] = [];
    const feeder = xmlFeeder(definitionHandlers((d) => pending.push(d)), this.name, XML_FILE);
    let definitions = 0;
    let records = 0;
    const stream = createReadStream(xml, { encoding: 'utf8', highWaterMark: CHUNK_BYTES });
    try {
      for await (const chunk of stream) {
        ctx.signal.throwIfAborted();
        feeder.write(chunk as string);
        const done = pending;
        pending = [];
        for (const def of done) {
          definitions++;
          for (const r of builder.records(def, tables)) {
            records++;
            yield r;
          }
        }
      }
      feeder.close();
    } finally {
      stream.destroy();
    }
    ctx.log.info({ release: this.release.codeName, definitions, records }, 'ubuntu parsed');
  }

  /** Pass 1: the lookup tables, decompressing to `plain` on the way when given. */
  async #tables(download: string, plain: string | undefined, signal: AbortSignal): Promise<OvalTables> {
    const tables = emptyTables();
    const tap = new XmlTap(xmlFeeder(tableHandlers(tables), this.name, plain === undefined ? DOWNLOAD_FILE : `${DOWNLOAD_FILE} (bzip2)`));
    const source = createReadStream(download);
    try {
      if (plain === undefined) await pipeline(source, tap, discard(), { signal });
      else await pipeline(source, createBunzip2(), tap, createWriteStream(plain), { signal });
    } catch (err) {
      if (isClairError(err) || signal.aborted) throw err;
      const what = plain === undefined ? 'could not be read' : 'is not valid bzip2 data or is truncated';
      throw clairError('UPDATER_PARSE', `${this.name}: ${DOWNLOAD_FILE} ${what}: ${(err as Error).message}`, { cause: err });
    }
    return tables;
  }
}
