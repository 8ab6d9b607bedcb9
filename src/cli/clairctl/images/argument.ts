/**
 * @module What an IMAGE argument names. The rule, first match wins:
 *
 * 1. `docker://REF` is a registry reference; `docker-archive:PATH[:SEL]`,
 *    `oci:PATH[:SEL]` and `oci-archive:PATH[:SEL]` are local images of
 *    that format (skopeo's transport names).
 * 2. An existing path, either the whole argument or the part before a
 *    `:` (then the rest selects an image in it: `REPO:TAG` or `@N` in a
 *    docker-archive, a ref name or `@N` in an OCI layout):
 *    - a file whose first non-blank character is `{` is a Clair manifest
 *      JSON file;
 *    - any other file is a tar (plain or gzip-compressed) read as a
 *      docker-archive when it holds `manifest.json`, else as an OCI layout
 *      when it holds `oci-layout`;
 *    - a directory holding `manifest.json` or `oci-layout` likewise.
 * 3. Otherwise a registry reference (`alpine:3.19`, `quay.io/x/y@sha256:…`).
 *    An argument that looks like a path (`/…`, `./…`, `../…`, `….tar`,
 *    `….tar.gz`, `….tgz`, `….json`) but does not exist is an error saying
 *    so rather than a confusing reference error.
 *
 * A local path takes precedence over a registry reference spelled the same
 * (`alpine:3.19` when a file `alpine` exists); `docker://` forces the
 * registry.
 */
import { open, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { clairError } from '../../../lib/errors.js';
import { parseReference, type RegistryReference } from './reference.js';

export type LocalFormat = 'docker-archive' | 'oci' | 'auto';

export type ImageTarget =
  | { kind: 'manifest-file'; path: string }
  | { kind: 'local'; format: LocalFormat; path: string; selector?: string | undefined }
  | { kind: 'registry'; reference: RegistryReference };

const PREFIXES: ReadonlyArray<readonly [string, Exclude<LocalFormat, 'auto'>]> = [
  ['docker-archive:', 'docker-archive'],
  ['oci-archive:', 'oci'],
  ['oci:', 'oci'],
];

const PATH_LIKE = /^(\/|\.\.?\/)|\.(tar|tar\.gz|tgz|json)$/;

export async function classifyImage(arg: string): Promise<ImageTarget> {
  if (arg.trim() === '') throw clairError('IMAGE_REFERENCE', 'an image argument is empty');
  if (arg.startsWith('docker://')) return { kind: 'registry', reference: parseReference(arg.slice('docker://'.length)) };
  for (const [prefix, format] of PREFIXES) {
    if (!arg.startsWith(prefix)) continue;
    const rest = arg.slice(prefix.length);
    const found = await existingPath(rest);
    if (found === undefined) throw clairError('IMAGE_REFERENCE', `${arg}: no such file or directory: ${rest.split(':')[0]}`);
    return { kind: 'local', format, path: found.path, selector: found.selector };
  }
  const found = await existingPath(arg);
  if (found !== undefined) {
    if (found.isFile) {
      if (found.selector === undefined && (await startsWithBrace(found.path))) return { kind: 'manifest-file', path: found.path };
      return { kind: 'local', format: 'auto', path: found.path, selector: found.selector };
    }
    if ((await isFile(join(found.path, 'manifest.json'))) || (await isFile(join(found.path, 'oci-layout')))) {
      return { kind: 'local', format: 'auto', path: found.path, selector: found.selector };
    }
  }
  if (found === undefined && PATH_LIKE.test(arg)) throw clairError('IMAGE_REFERENCE', `no such file or directory: ${arg}`);
  try {
    return { kind: 'registry', reference: parseReference(arg) };
  } catch (err) {
    if (found === undefined) throw err;
    throw clairError('IMAGE_REFERENCE', `${found.path} is a directory but neither an OCI layout (no oci-layout) nor an unpacked docker-archive (no manifest.json), and ${JSON.stringify(arg)} is not a registry reference either`, { cause: err });
  }
}

interface FoundPath {
  path: string;
  selector?: string | undefined;
  isFile: boolean;
}

/** The whole text as an existing path, else its shortest prefix before a `:` that exists, with the rest as the selector. */
async function existingPath(text: string): Promise<FoundPath | undefined> {
  const cuts = [text.length];
  for (let i = text.indexOf(':'); i > 0; i = text.indexOf(':', i + 1)) cuts.push(i);
  for (const cut of cuts) {
    const path = text.slice(0, cut);
    const info = await stat(path).catch(() => undefined);
    if (info === undefined || (!info.isFile() && !info.isDirectory())) continue;
    const selector = cut < text.length ? text.slice(cut + 1) : undefined;
    if (selector === '') throw clairError('IMAGE_REFERENCE', `${text}: nothing follows the ":" after ${path}`);
    return { path, selector, isFile: info.isFile() };
  }
  return undefined;
}

async function isFile(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isFile() ?? false;
}

async function startsWithBrace(path: string): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(256);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    const text = head.subarray(0, bytesRead).toString('utf8').replace(/^\uFEFF/, '').trimStart();
    return text.startsWith('{');
  } finally {
    await handle.close();
  }
}
