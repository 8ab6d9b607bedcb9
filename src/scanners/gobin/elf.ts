/**
 * @module The little of ELF that Go's `debug/buildinfo` needs: the header
 * (32- or 64-bit, either byte order), program headers (to map virtual
 * addresses to file offsets) and section headers with their names (to find
 * `.go.buildinfo`).
 *
 * Every offset, count and size is checked against the file; anything
 * inconsistent makes {@link parseElf} return `undefined` (the binary is then
 * skipped, as claircore skips files `debug/elf` cannot open).
 */

export const ELF_MAGIC = Buffer.from([0x7f, 0x45, 0x4c, 0x46]);
export const ET_EXEC = 2;
export const ET_DYN = 3;
const PT_LOAD = 1;
const PF_X = 1;
const PF_W = 2;
/** More headers than this is nonsense for any real binary; bounds the loops. */
const MAX_HEADERS = 0xffff;

interface Segment {
  type: number;
  flags: number;
  offset: number;
  vaddr: number;
  filesz: number;
}

interface Section {
  name: string;
  addr: number;
}

/** A parsed ELF file. */
export interface ElfFile {
  readonly type: number;
  readonly class: 32 | 64;
  readonly littleEndian: boolean;
  readonly segments: readonly Segment[];
  readonly sections: readonly Section[];
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

/** Parses `data` as ELF; `undefined` when it is not a well-formed ELF file. */
export function parseElf(data: Buffer): ElfFile | undefined {
  try {
    return parse(data);
  } catch (err) {
    if (err instanceof RangeError) return undefined; // a read past the end of the buffer
    throw err;
  }
}

function parse(b: Buffer): ElfFile | undefined {
  if (b.length < 52 || !b.subarray(0, 4).equals(ELF_MAGIC)) return undefined;
  const cls = b[4] === 1 ? 32 : b[4] === 2 ? 64 : undefined;
  const le = b[5] === 1 ? true : b[5] === 2 ? false : undefined;
  if (cls === undefined || le === undefined || b[6] !== 1) return undefined;
  const u16 = (at: number) => (le ? b.readUInt16LE(at) : b.readUInt16BE(at));
  const u32 = (at: number) => (le ? b.readUInt32LE(at) : b.readUInt32BE(at));
  const u64 = (at: number): number => {
    const v = le ? b.readBigUInt64LE(at) : b.readBigUInt64BE(at);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError('address out of range');
    return Number(v);
  };
  const word = cls === 64 ? u64 : u32;

  const type = u16(16);
  const phoff = word(cls === 64 ? 32 : 28);
  const shoff = word(cls === 64 ? 40 : 32);
  const base = cls === 64 ? 54 : 42;
  const phentsize = u16(base);
  const phnum = u16(base + 2);
  const shentsize = u16(base + 4);
  const shnum = u16(base + 6);
  const shstrndx = u16(base + 8);
  if (phnum > MAX_HEADERS || shnum > MAX_HEADERS) return undefined;

  const segments: Segment[] = [];
  if (phnum > 0) {
    if (phentsize < (cls === 64 ? 56 : 32) || phoff + phnum * phentsize > b.length) return undefined;
    for (let i = 0; i < phnum; i++) {
      const at = phoff + i * phentsize;
      const s: Segment =
        cls === 64
          ? { type: u32(at), flags: u32(at + 4), offset: u64(at + 8), vaddr: u64(at + 16), filesz: u64(at + 32) }
          : { type: u32(at), offset: u32(at + 4), vaddr: u32(at + 8), filesz: u32(at + 16), flags: u32(at + 24) };
      if (s.type === PT_LOAD && s.offset + s.filesz > b.length) return undefined;
      segments.push(s);
    }
  }

  const sections: Section[] = [];
  if (shnum > 0 && shoff > 0) {
    if (shentsize < (cls === 64 ? 64 : 40) || shoff + shnum * shentsize > b.length || shstrndx >= shnum) return undefined;
    const raw: { nameOff: number; addr: number }[] = [];
    for (let i = 0; i < shnum; i++) {
      const at = shoff + i * shentsize;
      raw.push({ nameOff: u32(at), addr: cls === 64 ? u64(at + 16) : u32(at + 12) });
    }
    const strAt = shoff + shstrndx * shentsize;
    const strOff = cls === 64 ? u64(strAt + 24) : u32(strAt + 16);
    const strSize = cls === 64 ? u64(strAt + 32) : u32(strAt + 20);
    if (strOff + strSize > b.length) return undefined;
    const names = b.subarray(strOff, strOff + strSize);
    for (const s of raw) {
      if (s.nameOff > names.length) return undefined;
      const end = names.indexOf(0, s.nameOff);
      sections.push({ name: names.toString('latin1', s.nameOff, end < 0 ? names.length : end), addr: s.addr });
    }
  }
  return { type, class: cls, littleEndian: le, segments, sections, data: b };
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

/** Go `elfExe.DataStart`: the `.go.buildinfo` section, else the first writable, non-executable loadable segment. */
export function dataStart(f: ElfFile): number | undefined {
  for (const s of f.sections) if (s.name === '.go.buildinfo') return s.addr;
  for (const p of f.segments) if (p.type === PT_LOAD && (p.flags & (PF_X | PF_W)) === PF_W) return p.vaddr;
  return undefined;
}
