/**
 * @module Minimal, valid ELF executables carrying Go build information, for
 * gobin tests that must not depend on a Go toolchain.
 *
 * Layout: ELF header, two program headers, a read-only "text" segment (which
 * also holds the strings the pre-1.18 format points to), a writable "data"
 * segment holding the build-info blob, and optionally section headers with a
 * `.go.buildinfo` section and `.shstrtab`. Both classes (32/64-bit) and both
 * byte orders are supported, as are both blob formats:
 *
 * - `inline` (Go ≥ 1.18): 32-byte header with flag bit 1, then the version
 *   and module strings, each prefixed by a uvarint length;
 * - `pointer` (Go < 1.18): the header holds two addresses of Go string
 *   headers (data address, length), which point at the string bytes.
 */

/** The framing Go's linker puts around `runtime.modinfo`. */
const SENTINEL_START = Buffer.from('3077af0c9274080241e1c107e6d618e6', 'hex');
const SENTINEL_END = Buffer.from('f932433186182072008242104116d8f2', 'hex');

export interface ElfSpec {
  class?: 32 | 64;
  endian?: 'le' | 'be';
  /** `e_type`; default 2 (`ET_EXEC`). */
  type?: number;
  /** Write section headers (with `.go.buildinfo`); default true. Without them Go searches the writable segment. */
  sections?: boolean;
  /** Build information to embed; none for a non-Go ELF. */
  buildinfo?: {
    format: 'inline' | 'pointer';
    goVersion: string;
    /** The modinfo text (e.g. `path\t…\nmod\t…\n`); framed with sentinels unless `raw`. */
    modinfo: string;
    raw?: boolean;
  };
  /** Bytes of filler in the data segment before the blob (a misaligned decoy magic is put there when ≥ 32). */
  padding?: number;
}

const TEXT_VADDR = 0x400000;
const DATA_VADDR = 0x600000;
const TEXT_OFFSET = 0x1000;

function uvarint(n: number): Buffer {
  const out: number[] = [];
  while (n >= 0x80) {
    out.push((n & 0x7f) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return Buffer.from(out);
}

/** Builds the ELF file described by `spec`. */
export function buildElf(spec: ElfSpec = {}): Buffer {
  const is64 = (spec.class ?? 64) === 64;
  const le = (spec.endian ?? 'le') === 'le';
  const ptr = is64 ? 8 : 4;
  const w = {
    u16: (b: Buffer, v: number, at: number) => (le ? b.writeUInt16LE(v, at) : b.writeUInt16BE(v, at)),
    u32: (b: Buffer, v: number, at: number) => (le ? b.writeUInt32LE(v, at) : b.writeUInt32BE(v, at)),
    word: (b: Buffer, v: number, at: number) =>
      is64 ? (le ? b.writeBigUInt64LE(BigInt(v), at) : b.writeBigUInt64BE(BigInt(v), at)) : le ? b.writeUInt32LE(v, at) : b.writeUInt32BE(v, at),
  };

  // Text segment: some code-ish bytes, then (pointer format) the strings and their headers.
  const text = Buffer.alloc(0x400, 0x90);
  const data: Buffer[] = [];
  const padding = spec.padding ?? 0;
  const pad = Buffer.alloc(padding);
  if (padding >= 40) {
    // A decoy magic at a misaligned offset, which the reader must skip.
    pad.write('\xff Go buildinf:', 3, 'latin1');
  }
  data.push(pad);
  const bi = spec.buildinfo;
  if (bi !== undefined) {
    const mod = bi.raw ? Buffer.from(bi.modinfo, 'utf8') : Buffer.concat([SENTINEL_START, Buffer.from(bi.modinfo, 'utf8'), SENTINEL_END]);
    const vers = Buffer.from(bi.goVersion, 'utf8');
    const header = Buffer.alloc(32);
    header.write('\xff Go buildinf:', 0, 'latin1');
    header[14] = ptr;
    if (bi.format === 'inline') {
      header[15] = 2 | (le ? 0 : 1);
      data.push(header, uvarint(vers.length), vers, uvarint(mod.length), mod);
    } else {
      header[15] = le ? 0 : 1;
      // Strings and their headers live in the text segment, from 0x100.
      const versAt = 0x100;
      const modAt = versAt + vers.length;
      const hdrAt = (modAt + mod.length + 15) & ~15;
      vers.copy(text, versAt);
      mod.copy(text, modAt);
      w.word(text, TEXT_VADDR + versAt, hdrAt);
      w.word(text, vers.length, hdrAt + ptr);
      w.word(text, TEXT_VADDR + modAt, hdrAt + 2 * ptr);
      w.word(text, mod.length, hdrAt + 3 * ptr);
      w.word(header, TEXT_VADDR + hdrAt, 16);
      w.word(header, TEXT_VADDR + hdrAt + 2 * ptr, 16 + ptr);
      data.push(header);
    }
  }
  const dataSeg = Buffer.concat([...data, Buffer.alloc(64)]);
  const dataOffset = TEXT_OFFSET + text.length;

  const ehsize = is64 ? 64 : 52;
  const phentsize = is64 ? 56 : 32;
  const shentsize = is64 ? 64 : 40;
  const withSections = spec.sections ?? true;
  const shstrtab = Buffer.from('\0.go.buildinfo\0.shstrtab\0', 'latin1');
  const shstrOffset = dataOffset + dataSeg.length;
  const shoff = withSections ? (shstrOffset + shstrtab.length + 7) & ~7 : 0;
  const shnum = withSections ? 3 : 0;
  const total = withSections ? shoff + shnum * shentsize : shstrOffset;
  const f = Buffer.alloc(total);

  // ELF header.
  f.write('\x7fELF', 0, 'latin1');
  f[4] = is64 ? 2 : 1;
  f[5] = le ? 1 : 2;
  f[6] = 1;
  w.u16(f, spec.type ?? 2, 16);
  w.u16(f, is64 ? 62 : 3, 18); // x86-64 / i386
  w.u32(f, 1, 20);
  w.word(f, TEXT_VADDR, 24);
  w.word(f, ehsize, is64 ? 32 : 28); // phoff
  w.word(f, shoff, is64 ? 40 : 32);
  const b = is64 ? 52 : 40;
  w.u16(f, ehsize, b);
  w.u16(f, phentsize, b + 2);
  w.u16(f, 2, b + 4);
  w.u16(f, shentsize, b + 6);
  w.u16(f, shnum, b + 8);
  w.u16(f, withSections ? 2 : 0, b + 10);

  // Program headers: text (R+X), data (R+W).
  const phdr = (i: number, flags: number, offset: number, vaddr: number, size: number) => {
    const at = ehsize + i * phentsize;
    w.u32(f, 1, at); // PT_LOAD
    if (is64) {
      w.u32(f, flags, at + 4);
      w.word(f, offset, at + 8);
      w.word(f, vaddr, at + 16);
      w.word(f, vaddr, at + 24);
      w.word(f, size, at + 32);
      w.word(f, size, at + 40);
      w.word(f, 0x1000, at + 48);
    } else {
      w.word(f, offset, at + 4);
      w.word(f, vaddr, at + 8);
      w.word(f, vaddr, at + 12);
      w.word(f, size, at + 16);
      w.word(f, size, at + 20);
      w.u32(f, flags, at + 24);
      w.word(f, 0x1000, at + 28);
    }
  };
  phdr(0, 5, TEXT_OFFSET, TEXT_VADDR, text.length);
  phdr(1, 6, dataOffset, DATA_VADDR, dataSeg.length);
  text.copy(f, TEXT_OFFSET);
  dataSeg.copy(f, dataOffset);

  if (withSections) {
    shstrtab.copy(f, shstrOffset);
    const shdr = (i: number, name: number, type: number, addr: number, offset: number, size: number) => {
      const at = shoff + i * shentsize;
      w.u32(f, name, at);
      w.u32(f, type, at + 4);
      if (is64) {
        w.word(f, addr, at + 16);
        w.word(f, offset, at + 24);
        w.word(f, size, at + 32);
      } else {
        w.word(f, addr, at + 12);
        w.word(f, offset, at + 16);
        w.word(f, size, at + 20);
      }
    };
    shdr(1, 1, 1, DATA_VADDR + padding, dataOffset + padding, dataSeg.length - padding); // .go.buildinfo, PROGBITS
    shdr(2, 15, 3, 0, shstrOffset, shstrtab.length); // .shstrtab, STRTAB
  }
  return f;
}
