/**
 * @module Test support: minimal ELF files with named sections (no program
 * headers), in either class and byte order, laid out as linkers do: the
 * header, section contents, `.shstrtab`, then the section header table at
 * the end. Options move pieces around so every read path of
 * `elf-section.ts` is exercised.
 */

export interface SectionSpec {
  name: string;
  data: Uint8Array;
  /** `sh_type`; default 1 (`SHT_PROGBITS`). 8 (`SHT_NOBITS`) writes no bytes. */
  type?: number;
}

export interface ElfSectionsSpec {
  class?: 32 | 64;
  endian?: 'le' | 'be';
  /** `e_type`; default 3 (`ET_DYN`, as a PIE executable). */
  type?: number;
  sections: readonly SectionSpec[];
  /** Filler bytes between the header and the first section. */
  leading?: number;
  /** Filler bytes between `.shstrtab` and the section header table (pushes the names out of the reader's tail window). */
  beforeTable?: number;
  /** Put `.shstrtab` right after the header instead of after the sections. */
  namesFirst?: boolean;
}

/** Builds the file described by `spec`. */
export function buildElfWithSections(spec: ElfSectionsSpec): Buffer {
  const is64 = (spec.class ?? 64) === 64;
  const le = (spec.endian ?? 'le') === 'le';
  const ehsize = is64 ? 64 : 52;
  const shentsize = is64 ? 64 : 40;
  const names: string[] = ['', ...spec.sections.map((s) => s.name), '.shstrtab'];
  const nameOffsets: number[] = [];
  let strtabText = '';
  for (const n of names) {
    nameOffsets.push(strtabText.length);
    strtabText += `${n}\0`;
  }
  const strtab = Buffer.from(strtabText, 'latin1');

  const parts: Buffer[] = [Buffer.alloc(ehsize)];
  let at = ehsize;
  const place = (b: Uint8Array): number => {
    const pad = (8 - (at % 8)) % 8;
    if (pad) parts.push(Buffer.alloc(pad));
    at += pad;
    const start = at;
    parts.push(Buffer.from(b));
    at += b.length;
    return start;
  };
  let strtabAt = -1;
  if (spec.namesFirst) strtabAt = place(strtab);
  if (spec.leading) place(Buffer.alloc(spec.leading, 0x90));
  const offsets = spec.sections.map((s) => (s.type === 8 ? at : place(s.data)));
  if (!spec.namesFirst) strtabAt = place(strtab);
  if (spec.beforeTable) place(Buffer.alloc(spec.beforeTable, 0xcc));
  const shoff = place(Buffer.alloc(0));
  const shnum = names.length;
  const table = Buffer.alloc(shnum * shentsize);
  const u16 = (b: Buffer, v: number, o: number) => (le ? b.writeUInt16LE(v, o) : b.writeUInt16BE(v, o));
  const u32 = (b: Buffer, v: number, o: number) => (le ? b.writeUInt32LE(v, o) : b.writeUInt32BE(v, o));
  const word = (b: Buffer, v: number, o: number) =>
    is64 ? (le ? b.writeBigUInt64LE(BigInt(v), o) : b.writeBigUInt64BE(BigInt(v), o)) : u32(b, v, o);
  const shdr = (i: number, type: number, offset: number, size: number) => {
    const o = i * shentsize;
    u32(table, nameOffsets[i]!, o);
    u32(table, type, o + 4);
    word(table, offset, is64 ? o + 24 : o + 16);
    word(table, size, is64 ? o + 32 : o + 20);
  };
  spec.sections.forEach((s, i) => shdr(i + 1, s.type ?? 1, offsets[i]!, s.data.length));
  shdr(shnum - 1, 3, strtabAt, strtab.length);
  parts.push(table);

  const f = Buffer.concat(parts);
  f.write('\x7fELF', 0, 'latin1');
  f[4] = is64 ? 2 : 1;
  f[5] = le ? 1 : 2;
  f[6] = 1;
  u16(f, spec.type ?? 3, 16);
  u16(f, is64 ? 62 : 3, 18);
  u32(f, 1, 20);
  word(f, shoff, is64 ? 40 : 32);
  const b = is64 ? 52 : 40;
  u16(f, ehsize, b);
  u16(f, is64 ? 56 : 32, b + 2);
  u16(f, 0, b + 4);
  u16(f, shentsize, b + 6);
  u16(f, shnum, b + 8);
  u16(f, shnum - 1, b + 10);
  return f;
}
