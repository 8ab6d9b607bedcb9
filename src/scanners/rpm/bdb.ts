/**
 * @module Read-only BerkeleyDB "hash" access for rpm's `Packages` file
 * (claircore `internal/rpm/bdb`; libdb `dbinc/db_page.h`, `dbinc/hash.h`).
 *
 * Layout: page 0 is the hash metadata page (`HMETA`); the magic `0x00061561`
 * at offset 12 tells the byte order (the file is in its creator's host
 * order). Every bucket's first page is `bucket + spares[ceil(log2(bucket+1))]`
 * and further pages are chained by `next_pgno`. A hash page holds `entries`
 * 16-bit item offsets after its 26-byte header, key/data alternating; items
 * are laid out from the end of the page backwards, so an item ends where the
 * previous one starts. A data item is either inline (`H_KEYDATA`, type 1,
 * then the bytes) or a reference to a chain of overflow pages (`H_OFFPAGE`,
 * type 3: pgno, total length); an overflow page's `hf_offset` field holds the
 * number of data bytes on it.
 *
 * rpm stores headers under 4-byte instance keys plus one all-zero key whose
 * value is bookkeeping; that value is skipped.
 *
 * Every page number is checked against the file, every chain is walked with
 * a visited set, and every length against the page, so a corrupt file fails
 * with an error instead of looping or reading out of bounds.
 */
import { rpmError } from './errors.js';

const HASH_MAGIC = 0x00061561;
const PAGE_HEADER_SIZE = 26;
const PAGE_TYPE_HASH_UNSORTED = 2;
const PAGE_TYPE_OVERFLOW = 7;
const PAGE_TYPE_HASH_META = 8;
const PAGE_TYPE_HASH = 13;
const ITEM_KEYDATA = 1;
const ITEM_DUPLICATE = 2;
const ITEM_OFFPAGE = 3;
const ITEM_OFFDUP = 4;
const ITEM_BLOB = 5;

/** True when `b` starts like a BerkeleyDB hash database in either byte order (claircore `bdb.CheckMagic`). */
export function isBdbHash(b: Buffer): boolean {
  if (b.length < 16) return false;
  return b.readUInt32LE(12) === HASH_MAGIC || b.readUInt32BE(12) === HASH_MAGIC;
}

interface Reader {
  u16(at: number): number;
  u32(at: number): number;
}

function reader(b: Buffer, little: boolean): Reader {
  return little
    ? { u16: (at) => b.readUInt16LE(at), u32: (at) => b.readUInt32LE(at) }
    : { u16: (at) => b.readUInt16BE(at), u32: (at) => b.readUInt32BE(at) };
}

/** ceil(log2(n + 1)) as Go `bits.Len32(n)`. */
function bitLength(n: number): number {
  return n === 0 ? 0 : 32 - Math.clz32(n);
}

/**
 * Every header blob in a BerkeleyDB hash `Packages` file, in bucket order.
 *
 * @throws {ClairError} `RPM_DB_INVALID` on anything malformed.
 */
export function bdbHeaderBlobs(file: Buffer): Buffer[] {
  if (file.length < 512) throw rpmError('bdb: file too short for a metadata page');
  let little: boolean;
  if (file.readUInt32LE(12) === HASH_MAGIC) little = true;
  else if (file.readUInt32BE(12) === HASH_MAGIC) little = false;
  else throw rpmError(`bdb: nonsense magic: ${file.readUInt32LE(12).toString(16).padStart(8, '0')}`);
  const r = reader(file, little);
  const pageSize = r.u32(20);
  const encrypt = file[24]!;
  const type = file[25]!;
  if (type !== PAGE_TYPE_HASH_META) throw rpmError(`bdb: nonsense page type: ${type}`);
  if (encrypt !== 0) throw rpmError('bdb: database encryption not supported');
  let okSize = false;
  for (let i = 0; i < 8; i++) if (pageSize === (1 << i) * 512) okSize = true;
  if (!okSize) throw rpmError(`bdb: nonsense page size: ${pageSize}`);
  const pageCount = Math.floor(file.length / pageSize);
  const maxBucket = r.u32(72);
  if (maxBucket >= pageCount) throw rpmError(`bdb: nonsense bucket count: ${maxBucket + 1} for ${pageCount} pages`);
  const spares: number[] = [];
  for (let i = 0; i < 32; i++) spares.push(r.u32(96 + i * 4));

  const page = (pgno: number): Buffer => {
    if (pgno <= 0 || pgno >= pageCount) throw rpmError(`bdb: page ${pgno} out of range (${pageCount} pages)`);
    return file.subarray(pgno * pageSize, (pgno + 1) * pageSize);
  };
  const visited = new Set<number>();
  const out: Buffer[] = [];
  let seenZeroKey = false;

  for (let bucket = 0; bucket <= maxBucket; bucket++) {
    let pgno = bucket + spares[bitLength(bucket)]!;
    while (pgno !== 0) {
      if (visited.has(pgno)) throw rpmError(`bdb: page ${pgno} reached twice`);
      visited.add(pgno);
      const pg = page(pgno);
      const pgType = pg[25]!;
      if (pgType !== PAGE_TYPE_HASH && pgType !== PAGE_TYPE_HASH_UNSORTED) {
        throw rpmError(`bdb: unexpected page type: ${pgType} on page ${pgno}`);
      }
      const entries = r.u16(pgno * pageSize + 20);
      if (PAGE_HEADER_SIZE + entries * 2 > pageSize) throw rpmError(`bdb: page ${pgno}: too many entries (${entries})`);
      const offsets: number[] = [];
      for (let i = 0; i < entries; i++) offsets.push(r.u16(pgno * pageSize + PAGE_HEADER_SIZE + i * 2));
      for (let i = 0; i < entries; i++) {
        const isKey = (i & 1) === 0;
        if (isKey && seenZeroKey) continue;
        const off = offsets[i]!;
        const end = i === 0 ? pageSize : offsets[i - 1]!;
        if (off < PAGE_HEADER_SIZE || off >= end || end > pageSize) throw rpmError(`bdb: page ${pgno}: bad item offset ${off}`);
        const itemType = pg[off]!;
        switch (itemType) {
          case ITEM_KEYDATA: {
            const item = pg.subarray(off + 1, end);
            if (isKey) {
              if (item.length === 4 && item.readUInt32LE(0) === 0) {
                seenZeroKey = true;
                i++; // skip the bookkeeping value stored under the zero key
              }
              continue;
            }
            out.push(Buffer.from(item));
            break;
          }
          case ITEM_OFFPAGE: {
            if (off + 12 > end) throw rpmError(`bdb: page ${pgno}: truncated off-page item`);
            const first = r.u32(pgno * pageSize + off + 4);
            const length = r.u32(pgno * pageSize + off + 8);
            if (isKey) continue; // keys are never this large in rpm; nothing to read
            out.push(overflow(file, r, page, pageSize, first, length, visited));
            break;
          }
          case ITEM_DUPLICATE:
          case ITEM_OFFDUP:
          case ITEM_BLOB:
            throw rpmError(`bdb: unimplemented hash item type: ${itemType}`);
          default:
            throw rpmError(`bdb: unknown hash item type: ${itemType} on page ${pgno}`);
        }
      }
      pgno = r.u32(pgno * pageSize + 16);
    }
  }
  return out;
}

function overflow(
  file: Buffer,
  r: Reader,
  page: (pgno: number) => Buffer,
  pageSize: number,
  first: number,
  length: number,
  visited: Set<number>,
): Buffer {
  if (length > file.length) throw rpmError(`bdb: off-page item length ${length} exceeds the file`);
  const parts: Buffer[] = [];
  let total = 0;
  let pgno = first;
  while (pgno !== 0) {
    if (visited.has(pgno)) throw rpmError(`bdb: overflow page ${pgno} reached twice`);
    visited.add(pgno);
    const pg = page(pgno);
    if (pg[25] !== PAGE_TYPE_OVERFLOW) throw rpmError(`bdb: unexpected page type: ${pg[25]} on overflow page ${pgno}`);
    const n = r.u16(pgno * pageSize + 22);
    if (PAGE_HEADER_SIZE + n > pageSize) throw rpmError(`bdb: overflow page ${pgno}: length ${n} exceeds the page`);
    parts.push(pg.subarray(PAGE_HEADER_SIZE, PAGE_HEADER_SIZE + n));
    total += n;
    pgno = r.u32(pgno * pageSize + 16);
  }
  if (total !== length) throw rpmError(`bdb: off-page item: read ${total} bytes, expected ${length}`);
  return Buffer.concat(parts, total);
}
