/**
 * @module An index of a tar file's entries by name, with where each entry's
 * bytes start, so a member (a layer of a 400 MB `docker save`) can later be
 * streamed straight from the file with a ranged read.
 *
 * Written here rather than taken from `tar-stream`: that library only
 * streams, and cannot say at which offset an entry's data lies, while this
 * needs to read nothing but the 512-byte headers and seek past the data.
 * It understands ustar (with its name prefix), GNU long names and links
 * (`L`/`K`) and PAX extended headers (`path`, `linkpath`, `size`), checks
 * every header checksum, and calls an entry that runs past the end of the
 * file truncated. Memory holds only the index.
 */
import { open } from 'node:fs/promises';
import { posix } from 'node:path';
import { clairError } from '../../../lib/errors.js';

export type TarEntryType = 'file' | 'directory' | 'symlink' | 'hardlink' | 'other';

export interface TarEntry {
  /** Normalized name: no leading `./` or `/`, no trailing `/`. */
  name: string;
  type: TarEntryType;
  /** Byte offset of the entry's data in the file. */
  offset: number;
  size: number;
  /** The target of a symlink or hard link. */
  linkname?: string | undefined;
}

const BLOCK = 512;
/** Extended headers (PAX, GNU long names) above this are refused: real ones are a few hundred bytes. */
const MAX_EXTENDED_HEADER = 1024 * 1024; // 1 MiB
/** Entries above this are refused, bounding the index: image archives hold tens. */
const MAX_ENTRIES = 200_000;

/** Normalizes a member name as the archive's readers resolve it. */
export function normalizeEntryName(name: string): string {
  const normal = posix.normalize(`/${name}`).replace(/^\/+/, '').replace(/\/+$/, '');
  return normal === '.' ? '' : normal;
}

/** Reads every header of the tar at `path`; a corrupt or truncated file is an error naming the offset or entry. */
export async function indexTar(path: string, signal?: AbortSignal): Promise<Map<string, TarEntry>> {
  const handle = await open(path, 'r');
  try {
    const fileSize = (await handle.stat()).size;
    const entries = new Map<string, TarEntry>();
    const header = Buffer.alloc(BLOCK);
    let position = 0;
    let pending: { path?: string; linkpath?: string; size?: number } = {};
    for (;;) {
      signal?.throwIfAborted();
      const { bytesRead } = await handle.read(header, 0, BLOCK, position);
      if (bytesRead === 0) {
        if (position === 0) throw clairError('IMAGE_INVALID', `${path}: empty file, not a tar archive`);
        break; // Some writers omit the end-of-archive blocks.
      }
      if (bytesRead < BLOCK) throw truncated(path, `a header at offset ${position} is cut short`);
      if (header.every((b) => b === 0)) break;
      if (!checksumMatches(header)) {
        throw clairError('IMAGE_INVALID', position === 0 ? `${path}: not a tar archive` : `${path}: corrupt tar header at offset ${position}`);
      }
      const typeflag = String.fromCharCode(header[156]!);
      const headerSize = pending.size ?? readSize(header);
      if (headerSize === undefined) throw clairError('IMAGE_INVALID', `${path}: corrupt size in the tar header at offset ${position}`);
      const dataOffset = position + BLOCK;
      if (dataOffset + headerSize > fileSize) {
        throw truncated(path, `entry ${JSON.stringify(headerName(header))} needs ${dataOffset + headerSize - fileSize} bytes past the end of the file`);
      }
      position = dataOffset + Math.ceil(headerSize / BLOCK) * BLOCK;
      if (typeflag === 'x' || typeflag === 'g' || typeflag === 'L' || typeflag === 'K') {
        if (headerSize > MAX_EXTENDED_HEADER) throw clairError('IMAGE_INVALID', `${path}: tar extended header at offset ${dataOffset - BLOCK} is too large (${headerSize} bytes)`);
        const data = Buffer.alloc(headerSize);
        await handle.read(data, 0, headerSize, dataOffset);
        // Global PAX headers ('g') carry nothing that moves or names an entry.
        if (typeflag === 'x') pending = { ...pending, ...parsePax(data, path) };
        else if (typeflag === 'L') pending.path = cString(data);
        else if (typeflag === 'K') pending.linkpath = cString(data);
        continue;
      }
      const name = normalizeEntryName(pending.path ?? headerName(header));
      const linkname = pending.linkpath ?? cString(header.subarray(157, 257));
      pending = {};
      if (entries.size >= MAX_ENTRIES) throw clairError('IMAGE_INVALID', `${path}: more than ${MAX_ENTRIES} tar entries; not an image archive`);
      const type = entryType(typeflag);
      entries.set(name, { name, type, offset: dataOffset, size: type === 'file' ? headerSize : 0, linkname: type === 'symlink' || type === 'hardlink' ? linkname : undefined });
    }
    return entries;
  } finally {
    await handle.close();
  }
}

/**
 * Follows symlinks and hard links (at most 16 hops) to the regular file a
 * name stands for, as a reader extracting the archive would find it.
 */
export function resolveEntry(entries: ReadonlyMap<string, TarEntry>, name: string): TarEntry | undefined {
  let current = normalizeEntryName(name);
  for (let hop = 0; hop < 16; hop++) {
    const entry = entries.get(current);
    if (entry === undefined || entry.linkname === undefined) return entry?.type === 'file' ? entry : undefined;
    current =
      entry.type === 'symlink' && !entry.linkname.startsWith('/')
        ? normalizeEntryName(posix.join(posix.dirname(entry.name), entry.linkname))
        : normalizeEntryName(entry.linkname);
  }
  return undefined;
}

function truncated(path: string, why: string): Error {
  return clairError('IMAGE_INVALID', `${path}: truncated tar archive: ${why}`);
}

function entryType(typeflag: string): TarEntryType {
  switch (typeflag) {
    case '0':
    case '\0':
    case '7':
      return 'file';
    case '5':
      return 'directory';
    case '2':
      return 'symlink';
    case '1':
      return 'hardlink';
    default:
      return 'other';
  }
}

/** The stored checksum equals the byte sum with the checksum field read as spaces (unsigned, or signed as old writers did). */
function checksumMatches(header: Buffer): boolean {
  const stored = parseOctal(header.subarray(148, 156));
  if (stored === undefined) return false;
  let unsigned = 0;
  let signed = 0;
  for (let i = 0; i < BLOCK; i++) {
    const byte = i >= 148 && i < 156 ? 0x20 : header[i]!;
    unsigned += byte;
    signed += byte > 127 ? byte - 256 : byte;
  }
  return stored === unsigned || stored === signed;
}

function headerName(header: Buffer): string {
  const name = cString(header.subarray(0, 100));
  const isUstar = header.subarray(257, 262).toString('latin1') === 'ustar';
  const prefix = isUstar ? cString(header.subarray(345, 500)) : '';
  return prefix !== '' ? `${prefix}/${name}` : name;
}

function cString(bytes: Buffer): string {
  const end = bytes.indexOf(0);
  return bytes.subarray(0, end < 0 ? bytes.length : end).toString('utf8');
}

function parseOctal(field: Buffer): number | undefined {
  const text = field.toString('latin1').replace(/[\0 ]+$/, '').replace(/^[\0 ]+/, '');
  if (text === '') return 0;
  if (!/^[0-7]+$/.test(text)) return undefined;
  return parseInt(text, 8);
}

/** The size field: octal, or GNU base-256 (high bit set) for sizes past 8 GiB. */
function readSize(header: Buffer): number | undefined {
  const field = header.subarray(124, 136);
  if ((field[0]! & 0x80) !== 0) {
    let value = 0;
    for (let i = 1; i < field.length; i++) value = value * 256 + field[i]!;
    return Number.isSafeInteger(value) ? value : undefined;
  }
  return parseOctal(field);
}

/** PAX records, `"<length> <key>=<value>\n"`; only the keys that move entries are kept. */
function parsePax(data: Buffer, path: string): { path?: string; linkpath?: string; size?: number } {
  const result: { path?: string; linkpath?: string; size?: number } = {};
  let at = 0;
  while (at < data.length && data[at] !== 0) {
    const space = data.indexOf(0x20, at);
    const length = space < 0 ? NaN : Number(data.subarray(at, space).toString('latin1'));
    if (!Number.isInteger(length) || length <= 0 || at + length > data.length) {
      throw clairError('IMAGE_INVALID', `${path}: malformed PAX extended header record`);
    }
    const record = data.subarray(space + 1, at + length - 1).toString('utf8');
    const eq = record.indexOf('=');
    const key = record.slice(0, eq);
    const value = record.slice(eq + 1);
    if (key === 'path') result.path = value;
    else if (key === 'linkpath') result.linkpath = value;
    else if (key === 'size') {
      if (!/^\d+$/.test(value)) throw clairError('IMAGE_INVALID', `${path}: malformed PAX size ${JSON.stringify(value)}`);
      result.size = Number(value);
    }
    at += length;
  }
  return result;
}
