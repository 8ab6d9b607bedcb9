/**
 * @module The rpm header blob, as rpm databases store it (claircore
 * `internal/rpm/rpmdb/header.go`).
 *
 * A stored header is section 2.4 of the rpm file format without the 8-byte
 * magic/version/reserved preamble: big-endian `il` (index count) and `dl`
 * (data length), then `il` 16-byte index entries `{tag, type, offset, count}`,
 * then `dl` bytes of data. Offsets are relative to the start of the data.
 *
 * Parsing checks the same things claircore does, so that a header claircore
 * rejects is rejected here too: exact total size, the region tag and its
 * trailer when the first entry is a region, and every entry's type, count,
 * alignment and offset. Values are read lazily and every read is bounded by
 * the data segment, so a hostile header can make parsing fail but never loop
 * or read out of bounds.
 */
import { rpmError } from './errors.js';

/** Tag data types (rpm `rpmTagType`). */
export const RpmType = {
  Null: 0,
  Char: 1,
  Int8: 2,
  Int16: 3,
  Int32: 4,
  Int64: 5,
  String: 6,
  Bin: 7,
  StringArray: 8,
  I18nString: 9,
} as const;

/** The tags this package reads (rpm `rpmtag.h`). */
export const RpmTag = {
  HeaderImage: 61,
  HeaderSignatures: 62,
  HeaderImmutable: 63,
  HeaderI18nTable: 100,
  SigPGP: 259,
  DSAHeader: 267,
  RSAHeader: 268,
  Name: 1000,
  Version: 1001,
  Release: 1002,
  Epoch: 1003,
  Arch: 1022,
  SourceRPM: 1044,
  Dirindexes: 1116,
  Basenames: 1117,
  Dirnames: 1118,
  Filenames: 5000,
  PayloadDigest: 5092,
  PayloadDigestAlgo: 5093,
  ModularityLabel: 5096,
} as const;

/** Expected type of the tags above, for claircore's region typecheck (`checkTagType`). */
const TAG_TYPES: ReadonlyMap<number, number> = new Map([
  [RpmTag.SigPGP, RpmType.Bin],
  [RpmTag.DSAHeader, RpmType.Bin],
  [RpmTag.RSAHeader, RpmType.Bin],
  [RpmTag.Name, RpmType.String],
  [RpmTag.Version, RpmType.String],
  [RpmTag.Release, RpmType.String],
  [RpmTag.Epoch, RpmType.Int32],
  [RpmTag.Arch, RpmType.String],
  [RpmTag.SourceRPM, RpmType.String],
  [RpmTag.Dirindexes, RpmType.Int32],
  [RpmTag.Basenames, RpmType.StringArray],
  [RpmTag.Dirnames, RpmType.StringArray],
  [RpmTag.Filenames, RpmType.StringArray],
  [RpmTag.PayloadDigest, RpmType.StringArray],
  [RpmTag.PayloadDigestAlgo, RpmType.Int32],
  [RpmTag.ModularityLabel, RpmType.String],
]);

const ENTRY_SIZE = 16;
const PREAMBLE_SIZE = 8;
const MAX_TAGS = 0xffff;
const MAX_DATA = 0x0fffffff;
const MAX_HEADER = 256 * 1024 * 1024; // 256 MiB, rpm's own header size limit
const REGION_TAG_COUNT = 16;

/** One index entry. */
export interface HeaderEntry {
  readonly tag: number;
  readonly type: number;
  /** Offset into the data segment. */
  readonly offset: number;
  readonly count: number;
}

/** A parsed header: its index and its data segment (a view, not a copy). */
export interface RpmHeader {
  readonly entries: readonly HeaderEntry[];
  readonly data: Buffer;
}

function typeClass(t: number): number {
  switch (t) {
    case RpmType.Null:
      return 0;
    case RpmType.String:
    case RpmType.StringArray:
    case RpmType.I18nString:
      return 2;
    case RpmType.Bin:
      return 3;
    default:
      return 1; // numeric
  }
}

function alignment(t: number): number {
  switch (t) {
    case RpmType.Int16:
      return 2;
    case RpmType.Int32:
      return 4;
    case RpmType.Int64:
      return 8;
    default:
      return 1;
  }
}

function readEntry(b: Buffer, at: number): HeaderEntry {
  return { tag: b.readInt32BE(at), type: b.readUInt32BE(at + 4), offset: b.readInt32BE(at + 8), count: b.readUInt32BE(at + 12) };
}

/**
 * Parses a stored header blob.
 *
 * @throws {ClairError} `RPM_DB_INVALID` when the blob is truncated, oversized or fails a
 *   sanity check; the message says which.
 */
export function parseHeader(blob: Buffer): RpmHeader {
  if (blob.length < PREAMBLE_SIZE) throw rpmError('rpm header: failed to read: short header');
  const il = blob.readUInt32BE(0);
  const dl = blob.readUInt32BE(4);
  if (il > MAX_TAGS) throw rpmError(`rpm header: number of tags (${il}) out of range`);
  if (dl > MAX_DATA) throw rpmError(`rpm header: data length (${dl}) out of range`);
  const size = PREAMBLE_SIZE + il * ENTRY_SIZE + dl;
  if (size >= MAX_HEADER || size !== blob.length) throw rpmError('rpm header: not enough data');
  if (il === 0) throw rpmError('rpm header: no tags');

  const entries: HeaderEntry[] = [];
  for (let i = 0; i < il; i++) entries.push(readEntry(blob, PREAMBLE_SIZE + i * ENTRY_SIZE));
  const data = blob.subarray(PREAMBLE_SIZE + il * ENTRY_SIZE);

  const region = verifyRegion(entries, data, il);
  verifyInfo(entries, data, region);
  return { entries, data };
}

/** Region tag of the header, or `undefined` when there is none (claircore treats that as a BDB header and checks laxly). */
function verifyRegion(entries: readonly HeaderEntry[], data: Buffer, il: number): number | undefined {
  const region = entries[0];
  if (region === undefined) return undefined;
  if (region.tag !== RpmTag.HeaderSignatures && region.tag !== RpmTag.HeaderImmutable && region.tag !== RpmTag.HeaderImage) {
    return undefined;
  }
  if (region.type !== RpmType.Bin || region.count !== REGION_TAG_COUNT) {
    throw rpmError(`rpm header: nonsense region tag: type ${region.type}, count ${region.count}`);
  }
  const end = region.offset + REGION_TAG_COUNT;
  if (region.offset < 0 || end > data.length) throw rpmError('rpm header: nonsense region offset');
  const trailer = readEntry(data, region.offset);
  let trailerTag = trailer.tag;
  const trailerOffset = -trailer.offset; // stored negated
  // Fixup copied out of librpm (and claircore).
  if (region.tag === RpmTag.HeaderSignatures && trailerTag === RpmTag.HeaderImage) trailerTag = RpmTag.HeaderSignatures;
  if (trailerTag !== region.tag || trailer.type !== RpmType.Bin || trailer.count !== REGION_TAG_COUNT) {
    throw rpmError(`rpm header: bad region trailer: tag ${trailer.tag} type ${trailer.type} count ${trailer.count}`);
  }
  const indexLength = trailerOffset / ENTRY_SIZE;
  if (trailerOffset % ENTRY_SIZE !== 0 || indexLength > il * ENTRY_SIZE || end > data.length) {
    throw rpmError(`rpm header: region ${region.tag} size incorrect`);
  }
  return region.tag;
}

function verifyInfo(entries: readonly HeaderEntry[], data: Buffer, region: number | undefined): void {
  const lax = region === undefined;
  const typecheck = region === RpmTag.HeaderImmutable || region === RpmTag.HeaderImage;
  for (let i = lax ? 0 : 1; i < entries.length; i++) {
    const e = entries[i]!;
    if (!lax && e.tag < RpmTag.HeaderI18nTable) throw rpmError(`rpm header: botched entry: bad tag ${e.tag}`);
    if (e.type < RpmType.Char || e.type > RpmType.I18nString) throw rpmError(`rpm header: botched entry: bad type ${e.type}`);
    if (e.count === 0 || e.count > data.length) throw rpmError(`rpm header: botched entry: bad count ${e.count}`);
    if ((e.offset & (alignment(e.type) - 1)) !== 0) throw rpmError(`rpm header: botched entry: weird alignment: offset ${e.offset}`);
    if (e.offset < 0 || e.offset > data.length) throw rpmError(`rpm header: botched entry: bad offset ${e.offset}`);
    if (typecheck) {
      const want = TAG_TYPES.get(e.tag);
      if (want !== undefined && want !== e.type && typeClass(want) !== typeClass(e.type)) {
        throw rpmError(`rpm header: botched entry: typecheck fail: tag ${e.tag} is not type ${e.type}`);
      }
    }
  }
}

function nulTerminated(data: Buffer, from: number): { value: string; next: number } | undefined {
  const end = data.indexOf(0, from);
  if (end < 0) return undefined;
  return { value: data.toString('utf8', from, end), next: end + 1 };
}

/** A `STRING` value (a single NUL-terminated string). */
export function readString(h: RpmHeader, e: HeaderEntry): string {
  if (e.type !== RpmType.String) throw rpmError(`rpm header: tag ${e.tag}: expected a string, got type ${e.type}`);
  const s = nulTerminated(h.data, e.offset);
  if (s === undefined) throw rpmError(`rpm header: tag ${e.tag}: unterminated string`);
  return s.value;
}

/**
 * A `STRING_ARRAY` or `I18NSTRING` value. As in claircore, a final string
 * may run to the end of the data, and a short array is padded with `''`.
 */
export function readStringArray(h: RpmHeader, e: HeaderEntry): string[] {
  if (e.type !== RpmType.StringArray && e.type !== RpmType.I18nString) {
    throw rpmError(`rpm header: tag ${e.tag}: expected a string array, got type ${e.type}`);
  }
  const out: string[] = [];
  let at = e.offset;
  // count <= data.length was checked, so this loop is bounded by the data size.
  for (let i = 0; i < e.count; i++) {
    if (at >= h.data.length) {
      out.push('');
      continue;
    }
    const s = nulTerminated(h.data, at);
    if (s === undefined) {
      out.push(h.data.toString('utf8', at));
      at = h.data.length;
      continue;
    }
    out.push(s.value);
    at = s.next;
  }
  return out;
}

/** An `INT32` value. */
export function readInt32s(h: RpmHeader, e: HeaderEntry): number[] {
  if (e.type !== RpmType.Int32) throw rpmError(`rpm header: tag ${e.tag}: expected int32, got type ${e.type}`);
  if (e.offset + e.count * 4 > h.data.length) throw rpmError(`rpm header: tag ${e.tag}: error reading int32: unexpected EOF`);
  const out: number[] = [];
  for (let i = 0; i < e.count; i++) out.push(h.data.readInt32BE(e.offset + i * 4));
  return out;
}

/** A `BIN` value (a copy). */
export function readBin(h: RpmHeader, e: HeaderEntry): Buffer {
  if (e.type !== RpmType.Bin) throw rpmError(`rpm header: tag ${e.tag}: expected binary, got type ${e.type}`);
  if (e.offset + e.count > h.data.length) throw rpmError(`rpm header: tag ${e.tag}: error reading binary: unexpected EOF`);
  return Buffer.from(h.data.subarray(e.offset, e.offset + e.count));
}
