/**
 * @module rpm's native "ndb" `Packages.db` (rpm `lib/backend/ndb/rpmpkg.c`;
 * claircore `internal/rpm/ndb/package.go`). All integers little-endian.
 *
 * - Header (32 bytes): magic `RpmP`, version 0, generation, number of slot
 *   pages, next package index.
 * - Slots (16 bytes each, starting at slot 2, i.e. byte 32, through the slot
 *   pages of 4096 bytes): magic `Slot`, package index, block offset, block
 *   count; offset 0 marks an empty slot. Blocks are 16 bytes.
 * - Blob at `offset*16`, `count*16` bytes long: header (magic `BlbS`, package
 *   index, generation, length), the rpm header blob, zero padding, trailer
 *   (adler32 of everything before it starting at the blob header, length,
 *   magic `BlbE`).
 *
 * Unlike claircore, which stops at the slot holding the highest package index
 * (`next index - 1`), every slot is read: rpm reuses freed slots, so slot
 * order need not follow package order and stopping early would drop
 * packages. Empty slots are skipped either way.
 */
import { rpmError } from './errors.js';

const magic = (s: string): number => Buffer.from(s, 'latin1').readUInt32LE(0);
const PKG_MAGIC = magic('RpmP');
const SLOT_MAGIC = magic('Slot');
const BLOB_HEAD_MAGIC = magic('BlbS');
const BLOB_TAIL_MAGIC = magic('BlbE');
const PAGE_SIZE = 4096;
const SLOT_SIZE = 16;
const SLOT_START = 2;
const BLOCK_SIZE = 16;
const BLOB_HEAD_SIZE = 16;
const BLOB_TAIL_SIZE = 12;

/** True when `b` starts with the ndb package-database magic. */
export function isNdbPackages(b: Buffer): boolean {
  return b.length >= 4 && b.readUInt32LE(0) === PKG_MAGIC;
}

/** zlib's adler32 (start value 1), as rpm and Go's hash/adler32 compute it. */
export function adler32(b: Buffer): number {
  let a = 1;
  let s = 0;
  const NMAX = 5552; // largest n with 255n(n+1)/2 + (n+1)(65520) < 2^32
  for (let i = 0; i < b.length; ) {
    const end = Math.min(i + NMAX, b.length);
    for (; i < end; i++) {
      a += b[i]!;
      s += a;
    }
    a %= 65521;
    s %= 65521;
  }
  return ((s << 16) | a) >>> 0;
}

interface Slot {
  index: number;
  offset: number;
  length: number;
}

/**
 * Every header blob in an ndb `Packages.db`, in slot order.
 *
 * @throws {ClairError} `RPM_DB_INVALID` on a bad header, slot or blob
 *   (claircore fails the database on the first one too).
 */
export function ndbHeaderBlobs(file: Buffer): Buffer[] {
  if (file.length < 32) throw rpmError('ndb: package: unable to read header: short file');
  if (file.readUInt32LE(0) !== PKG_MAGIC) throw rpmError('ndb: package: bad header: bad magic');
  if (file.readUInt32LE(4) !== 0) throw rpmError('ndb: package: bad header: bad version');
  const slotPages = file.readUInt32LE(12);
  const slotsEnd = slotPages * PAGE_SIZE;
  if (slotsEnd > file.length) throw rpmError(`ndb: package: ${slotPages} slot pages exceed the file`);

  const slots: Slot[] = [];
  for (let off = SLOT_START * SLOT_SIZE; off + SLOT_SIZE <= slotsEnd; off += SLOT_SIZE) {
    if (file.readUInt32LE(off) !== SLOT_MAGIC) throw rpmError(`ndb: package: slot @${off}: bad magic`);
    const blockOffset = file.readUInt32LE(off + 8);
    if (blockOffset === 0) continue; // empty slot
    const index = file.readUInt32LE(off + 4);
    const blockCount = file.readUInt32LE(off + 12);
    if (blockCount < Math.ceil((BLOB_HEAD_SIZE + BLOB_TAIL_SIZE) / BLOCK_SIZE)) {
      throw rpmError(`ndb: package: slot @${off}: nonsense block count (${blockCount})`);
    }
    slots.push({ index, offset: blockOffset * BLOCK_SIZE, length: blockCount * BLOCK_SIZE });
  }
  checkOverlap(slots);
  return slots.map((s) => blob(file, s));
}

/**
 * rpm refuses slots whose blobs overlap (`rpmpkgCheckSlotOverlap`), and so
 * does this reader: many slots naming one large blob would otherwise make
 * reading (checksums, copies) quadratic in the file size.
 */
function checkOverlap(slots: readonly Slot[]): void {
  const byOffset = [...slots].sort((a, b) => a.offset - b.offset);
  for (let i = 1; i < byOffset.length; i++) {
    const previous = byOffset[i - 1]!;
    if (byOffset[i]!.offset < previous.offset + previous.length) {
      throw rpmError(`ndb: package: blobs of packages ${previous.index} and ${byOffset[i]!.index} overlap`);
    }
  }
}

function blob(file: Buffer, s: Slot): Buffer {
  if (s.offset + s.length > file.length) throw rpmError(`ndb: package: blob of package ${s.index} exceeds the file`);
  const b = file.subarray(s.offset, s.offset + s.length);
  if (b.readUInt32LE(0) !== BLOB_HEAD_MAGIC) throw rpmError(`ndb: package: bad header: blob: header: bad magic`);
  if (b.readUInt32LE(4) !== s.index) throw rpmError('ndb: package: martian blob');
  const length = b.readUInt32LE(12);
  const tail = s.length - BLOB_TAIL_SIZE;
  if (b.readUInt32LE(tail + 8) !== BLOB_TAIL_MAGIC) throw rpmError('ndb: package: bad trailer: blob: trailer: bad magic');
  if (b.readUInt32LE(tail + 4) !== length) throw rpmError('ndb: package: header/trailer length mismatch');
  if (BLOB_HEAD_SIZE + length > tail) throw rpmError('ndb: package: blob length exceeds its slot');
  const want = b.readUInt32LE(tail);
  const got = adler32(b.subarray(0, tail));
  if (got !== want) {
    throw rpmError(`ndb: package: checksum mismatch; got: 0x${got.toString(16).padStart(8, '0')}, want: 0x${want.toString(16).padStart(8, '0')}`);
  }
  return Buffer.from(b.subarray(BLOB_HEAD_SIZE, BLOB_HEAD_SIZE + length));
}
