/**
 * @module The little of ELF that scanners need: the header (32- or 64-bit,
 * either byte order), program headers (to map virtual addresses to file
 * offsets, for Go's build information) and section headers with their names,
 * types, offsets and sizes (to find `.go.buildinfo` or cargo-auditable's
 * `.dep-v0`).
 *
 * The pieces work on byte ranges, so a caller can parse a whole file in
 * memory ({@link parseElf}) or fetch only the header, the section table and
 * one section from a stream (`elf-section.ts`).
 *
 * Every offset, count and size is checked against the file; anything
 * inconsistent gives `undefined` (the binary is then skipped, as claircore
 * skips files `debug/elf` cannot open).
 */

export const ELF_MAGIC = Buffer.from([0x7f, 0x45, 0x4c, 0x46]);
export const ET_EXEC = 2;
export const ET_DYN = 3;
/** Section type of a section with no bytes in the file (`.bss`). */
export const SHT_NOBITS = 8;
const PT_LOAD = 1;
/** More headers than this is nonsense for any real binary; bounds the loops. */
const MAX_HEADERS = 0xffff;
/** The largest ELF header (64-bit). */
export const ELF_HEADER_SIZE = 64;

interface Segment {
  type: number;
  flags: number;
  offset: number;
  vaddr: number;
  filesz: number;
}

/** One section header, with its name resolved. */
export interface ElfSection {
  name: string;
  type: number;
  addr: number;
  /** Where the section's bytes start in the file. */
  offset: number;
  /** How many bytes it has in the file (none for `SHT_NOBITS`). */
  size: number;
}

/** The ELF file header fields scanners use. */
export interface ElfHeader {
  readonly type: number;
  readonly class: 32 | 64;
  readonly littleEndian: boolean;
  readonly phoff: number;
  readonly phentsize: number;
  readonly phnum: number;
  readonly shoff: number;
  readonly shentsize: number;
  readonly shnum: number;
  readonly shstrndx: number;
}

/** A parsed ELF file. */
export interface ElfFile {
  readonly type: number;
  readonly class: 32 | 64;
  readonly littleEndian: boolean;
  readonly segments: readonly Segment[];
  readonly sections: readonly ElfSection[];
  readonly data: Buffer;
}

/** `e_type` from the first bytes of a file, or `undefined` if they are not an ELF header. */
export function elfType(peek: Buffer): number | undefined {
  if (peek.length < 18 || !peek.subarray(0, 4).equals(ELF_MAGIC)) return undefined;
  switch (peek[5]) {
    case 1:
      return peek.readUInt16LE(16);
    case 2:
      return peek.readUInt16BE(16);
    default:
      return undefined;
  }
}

/** Readers of one byte order and class over a buffer; `u64` refuses values beyond 2^53. */
function readers(b: Buffer, cls: 32 | 64, le: boolean) {
  const u16 = (at: number) => (le ? b.readUInt16LE(at) : b.readUInt16BE(at));
  const u32 = (at: number) => (le ? b.readUInt32LE(at) : b.readUInt32BE(at));
  const u64 = (at: number): number => {
    const v = le ? b.readBigUInt64LE(at) : b.readBigUInt64BE(at);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError('address out of range');
    return Number(v);
  };
  return { u16, u32, u64, word: cls === 64 ? u64 : u32 };
}

/** Runs `f`, turning a read past the end of a buffer (or a huge value) into `undefined`. */
function bounded<T>(f: () => T | undefined): T | undefined {
  try {
    return f();
  } catch (err) {
    if (err instanceof RangeError) return undefined;
    throw err;
  }
}

/** The file header from the first bytes of a file ({@link ELF_HEADER_SIZE} are enough); `undefined` if they are not one. */
export function parseElfHeader(b: Buffer): ElfHeader | undefined {
  return bounded(() => {
    if (b.length < 52 || !b.subarray(0, 4).equals(ELF_MAGIC)) return undefined;
    const cls = b[4] === 1 ? 32 : b[4] === 2 ? 64 : undefined;
    const le = b[5] === 1 ? true : b[5] === 2 ? false : undefined;
    if (cls === undefined || le === undefined || b[6] !== 1) return undefined;
    const { u16, word } = readers(b, cls, le);
    const base = cls === 64 ? 54 : 42;
    const header: ElfHeader = {
      type: u16(16),
      class: cls,
      littleEndian: le,
      phoff: word(cls === 64 ? 32 : 28),
      shoff: word(cls === 64 ? 40 : 32),
      phentsize: u16(base),
      phnum: u16(base + 2),
      shentsize: u16(base + 4),
      shnum: u16(base + 6),
      shstrndx: u16(base + 8),
    };
    if (header.phnum > MAX_HEADERS || header.shnum > MAX_HEADERS) return undefined;
    return header;
  });
}

/** Where the section header table lies in the file, or `undefined` when there is none or it is malformed. */
export function sectionTableRange(h: ElfHeader): { start: number; end: number } | undefined {
  if (h.shnum === 0 || h.shoff === 0) return undefined;
  if (h.shentsize < (h.class === 64 ? 64 : 40) || h.shstrndx >= h.shnum) return undefined;
  return { start: h.shoff, end: h.shoff + h.shnum * h.shentsize };
}

/** A section header before its name is looked up. */
export interface RawSection {
  nameOffset: number;
  type: number;
  addr: number;
  offset: number;
  size: number;
}

/**
 * Parses the section header table (the bytes of {@link sectionTableRange});
 * `undefined` when it is cut short. Section extents are not checked here
 * (a reader of a section's bytes must check them against the file).
 */
export function parseSectionTable(h: ElfHeader, table: Buffer): RawSection[] | undefined {
  return bounded(() => {
    if (table.length < h.shnum * h.shentsize) return undefined;
    const { u32, word } = readers(table, h.class, h.littleEndian);
    const out: RawSection[] = [];
    for (let i = 0; i < h.shnum; i++) {
      const at = i * h.shentsize;
      const s: RawSection =
        h.class === 64
          ? { nameOffset: u32(at), type: u32(at + 4), addr: word(at + 16), offset: word(at + 24), size: word(at + 32) }
          : { nameOffset: u32(at), type: u32(at + 4), addr: word(at + 12), offset: word(at + 16), size: word(at + 20) };
      out.push(s);
    }
    return out;
  });
}

/** Resolves section names from the bytes of the section-name string table; `undefined` if a name lies outside it. */
export function nameSections(raw: readonly RawSection[], names: Buffer): ElfSection[] | undefined {
  const out: ElfSection[] = [];
  for (const s of raw) {
    if (s.nameOffset > names.length) return undefined;
    const end = names.indexOf(0, s.nameOffset);
    out.push({ name: names.toString('latin1', s.nameOffset, end < 0 ? names.length : end), type: s.type, addr: s.addr, offset: s.offset, size: s.size });
  }
  return out;
}

/** Parses `data`, a whole file, as ELF; `undefined` when it is not a well-formed ELF file. */
export function parseElf(data: Buffer): ElfFile | undefined {
  const h = parseElfHeader(data);
  if (h === undefined) return undefined;
  const segments = bounded(() => programHeaders(h, data));
  if (segments === undefined) return undefined;
  let sections: ElfSection[] = [];
  const range = sectionTableRange(h);
  if (range !== undefined) {
    if (range.end > data.length) return undefined;
    const raw = parseSectionTable(h, data.subarray(range.start, range.end));
    const strtab = raw?.[h.shstrndx];
    if (raw === undefined || strtab === undefined || strtab.offset + strtab.size > data.length) return undefined;
    const named = nameSections(raw, data.subarray(strtab.offset, strtab.offset + strtab.size));
    if (named === undefined) return undefined;
    sections = named;
  } else if (h.shnum > 0 && h.shoff > 0) {
    return undefined;
  }
  return { type: h.type, class: h.class, littleEndian: h.littleEndian, segments, sections, data };
}

function programHeaders(h: ElfHeader, b: Buffer): Segment[] | undefined {
  const segments: Segment[] = [];
  if (h.phnum === 0) return segments;
  if (h.phentsize < (h.class === 64 ? 56 : 32) || h.phoff + h.phnum * h.phentsize > b.length) return undefined;
  const { u32, u64 } = readers(b, h.class, h.littleEndian);
  for (let i = 0; i < h.phnum; i++) {
    const at = h.phoff + i * h.phentsize;
    const s: Segment =
      h.class === 64
        ? { type: u32(at), flags: u32(at + 4), offset: u64(at + 8), vaddr: u64(at + 16), filesz: u64(at + 32) }
        : { type: u32(at), offset: u32(at + 4), vaddr: u32(at + 8), filesz: u32(at + 16), flags: u32(at + 24) };
    if (s.type === PT_LOAD && s.offset + s.filesz > b.length) return undefined;
    segments.push(s);
  }
  return segments;
}

/**
 * Go `elfExe.ReadData`: up to `size` bytes at virtual address `addr`, from the
 * loadable segment holding it; `undefined` when no segment does.
 */
export function readAt(f: ElfFile, addr: number, size: number): Buffer | undefined {
  for (const s of f.segments) {
    if (s.type !== PT_LOAD || s.filesz === 0) continue;
    if (s.vaddr <= addr && addr <= s.vaddr + s.filesz - 1) {
      const n = Math.min(s.vaddr + s.filesz - addr, size);
      const at = s.offset + (addr - s.vaddr);
      return f.data.subarray(at, at + n);
    }
  }
  return undefined;
}

/** The first loadable segment that is writable and not executable (where Go looks without `.go.buildinfo`). */
export function firstDataSegment(f: ElfFile): number | undefined {
  const PF_X = 1;
  const PF_W = 2;
  for (const p of f.segments) if (p.type === PT_LOAD && (p.flags & (PF_X | PF_W)) === PF_W) return p.vaddr;
  return undefined;
}

/** True when a section has bytes in the file and they lie within its `fileSize` bytes. */
export function sectionInFile(s: ElfSection, fileSize: number): boolean {
  return s.type !== SHT_NOBITS && s.offset + s.size <= fileSize;
}

/** The bytes of the first section named `name` in a file parsed whole; `undefined` when absent, without file bytes, or outside the file. */
export function sectionData(f: ElfFile, name: string): Buffer | undefined {
  const s = f.sections.find((x) => x.name === name);
  if (s === undefined || !sectionInFile(s, f.data.length)) return undefined;
  return f.data.subarray(s.offset, s.offset + s.size);
}
