/**
 * @module Streaming reader for yum `updateinfo.xml` (ALAS advisories):
 *
 * ```xml
 * <updates>
 *   <update author="…" from="…" status="final" type="security" version="1.4">
 *     <id>ALAS2-2023-2001</id>
 *     <title>…</title>
 *     <issued date="2023-03-07 00:29"/>
 *     <severity>important</severity>
 *     <description>…</description>
 *     <references><reference href="…" id="CVE-…" type="cve"/></references>
 *     <pkglist><collection short="…"><package name="…" epoch="0" version="…" release="…" arch="x86_64">…</package></collection></pkglist>
 *   </update>
 * </updates>
 * ```
 *
 * The file (gzip-compressed or plain, told apart by its magic bytes) is fed
 * to a SAX parser chunk by chunk; each `<update>` is yielded when it closes,
 * so memory is bounded by one advisory. Field extraction follows claircore's
 * `updater/repomd.Update`: an element's own character data only.
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import sax from 'sax';
import { clairError, isClairError } from '../../lib/errors.js';
import { localName } from './repomd.js';

export interface UpdateReference {
  href: string;
  id: string;
  type: string;
  title: string;
}

export interface UpdatePackage {
  name: string;
  epoch: string;
  version: string;
  release: string;
  arch: string;
}

export interface Update {
  id: string;
  title: string;
  /** The `<issued date>` attribute as written, if any. */
  issued: string | undefined;
  severity: string;
  description: string;
  references: UpdateReference[];
  packages: UpdatePackage[];
}

const TEXT_FIELDS = new Set(['id', 'title', 'severity', 'description']);

async function isGzip(file: string): Promise<boolean> {
  const fh = await open(file, 'r');
  try {
    const { buffer, bytesRead } = await fh.read(Buffer.alloc(2), 0, 2, 0);
    return bytesRead === 2 && buffer[0] === 0x1f && buffer[1] === 0x8b;
  } finally {
    await fh.close();
  }
}

/** A SAX handler set that collects finished updates into `out`. */
function updateCollector(parser: sax.SAXParser, out: Update[]): void {
  const stack: string[] = [];
  let update: Update | undefined;
  let text = '';
  parser.onopentag = (tag) => {
    const name = localName(tag.name);
    const attrs = tag.attributes as Record<string, string>;
    const a = (k: string): string => attrs[k] ?? '';
    stack.push(name);
    text = '';
    const parent = stack[stack.length - 2];
    if (name === 'update' && parent === 'updates') {
      update = { id: '', title: '', issued: undefined, severity: '', description: '', references: [], packages: [] };
    } else if (update && parent === 'update' && name === 'issued') {
      update.issued = attrs.date;
    } else if (update && parent === 'references' && name === 'reference') {
      update.references.push({ href: a('href'), id: a('id'), type: a('type'), title: a('title') });
    } else if (update && parent === 'collection' && name === 'package') {
      update.packages.push({ name: a('name'), epoch: a('epoch'), version: a('version'), release: a('release'), arch: a('arch') });
    }
  };
  const onText = (t: string): void => {
    // Only an update's own text fields are kept, so only their text is buffered.
    if (update && stack[stack.length - 2] === 'update' && TEXT_FIELDS.has(stack[stack.length - 1] ?? '')) text += t;
  };
  parser.ontext = onText;
  parser.oncdata = onText;
  parser.onclosetag = () => {
    const name = stack.pop() ?? '';
    const parent = stack[stack.length - 1];
    if (!update) return;
    if (parent === 'update' && TEXT_FIELDS.has(name)) {
      update[name as 'id' | 'title' | 'severity' | 'description'] = text;
    } else if (name === 'update' && parent === 'updates') {
      out.push(update);
      update = undefined;
    }
    text = '';
  };
}

/**
 * Streams the advisories of the updateinfo file at `file`. A corrupt or
 * truncated gzip stream, malformed XML, or a root other than `<updates>`
 * rejects with `UPDATER_PARSE` prefixed by `component`.
 */
export async function* readUpdateinfo(file: string, component: string): AsyncGenerator<Update> {
  const streams: Readable[] = [];
  try {
    const raw = createReadStream(file);
    streams.push(raw);
    let text: Readable = raw;
    if (await isGzip(file)) {
      const gunzip = createGunzip();
      raw.on('error', (err) => gunzip.destroy(err));
      text = raw.pipe(gunzip);
      streams.push(gunzip);
    }
    text.setEncoding('utf8'); // decodes multi-byte characters split across chunks
    const parser = sax.parser(true, { trim: false, normalize: false });
    let failure: Error | undefined;
    parser.onerror = (err) => {
      failure ??= err;
    };
    const ready: Update[] = [];
    updateCollector(parser, ready);
    let sawRoot = false;
    const openTag = parser.onopentag;
    parser.onopentag = (tag) => {
      if (!sawRoot && localName(tag.name) !== 'updates') failure ??= new Error(`root element is <${tag.name}>, expected <updates>`);
      sawRoot = true;
      openTag.call(parser, tag);
    };
    for await (const chunk of text) {
      parser.write(chunk as string);
      if (failure) throw failure;
      yield* ready.splice(0);
    }
    parser.close();
    if (failure) throw failure;
    if (!sawRoot) throw new Error('no XML document');
    yield* ready.splice(0);
  } catch (err) {
    if (isClairError(err)) throw err;
    const message = (err as Error).message.split('\n')[0] ?? '';
    throw clairError('UPDATER_PARSE', `${component}: malformed updateinfo: ${message}`, { cause: err });
  } finally {
    for (const s of streams) s.destroy();
  }
}
