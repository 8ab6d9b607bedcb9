/**
 * @module One named section of an ELF file in a layer, read from the file's
 * stream without holding the file: `LayerFS` offers no ranged reads, and
 * executables can be hundreds of megabytes.
 *
 * The first pass reads the file header and, near the end of the file, the
 * section header table together with the bytes just before it, where
 * linkers put the section-name table; a file without the wanted section
 * costs that one pass. The name table (when it lay elsewhere) and the
 * section's bytes are each fetched with a further pass, discarding what
 * comes before them. Memory stays within the window, the table and the
 * section's cap.
 */
import type { Readable } from 'node:stream';
import type { LayerFS } from '../../indexer/layer-fs.js';
import { ELF_HEADER_SIZE, nameSections, parseElfHeader, parseSectionTable, SHT_NOBITS, sectionInFile, sectionTableRange } from './elf.js';

/** Bytes kept from just before the section header table (256 KiB): where `.shstrtab` usually sits. */
export const TAIL_WINDOW = 256 * 1024;
/** Section-name tables hold a few hundred bytes; one larger than this (1 MiB) is not believed. */
const NAME_TABLE_LIMIT = 1024 * 1024;

/** What looking for a section found. */
export type SectionLookup =
  | { readonly status: 'found'; readonly data: Buffer }
  /** Not an ELF file, no section of that name, or one without bytes in the file. */
  | { readonly status: 'absent' }
  /** Headers that contradict the file (cut short, or pointing outside it). */
  | { readonly status: 'malformed' }
  /** The section is larger than the caller allows. */
  | { readonly status: 'too-large'; readonly size: number };

/** Consumes a stream forward, handing out byte ranges in increasing order. */
class ForwardReader {
  readonly #stream: Readable;
  readonly #chunks: AsyncIterator<unknown>;
  /** File offset of `#rest[0]`. */
  #pos = 0;
  #rest: Buffer = Buffer.alloc(0);

  constructor(stream: Readable) {
    this.#stream = stream;
    this.#chunks = stream[Symbol.asyncIterator]();
  }

  /** Bytes `[start, end)`, or `undefined` when the file ends first. `start` must not be behind an earlier range's end. */
  async read(start: number, end: number): Promise<Buffer | undefined> {
    if (start < this.#pos) throw new RangeError(`elf-section: range at ${start} is behind the stream (${this.#pos})`);
    if (end <= start) return Buffer.alloc(0);
    const parts: Buffer[] = [];
    let have = 0;
    for (;;) {
      const from = Math.max(0, start + have - this.#pos);
      const to = Math.min(this.#rest.length, end - this.#pos);
      if (to > from) {
        parts.push(this.#rest.subarray(from, to));
        have += to - from;
      }
      if (start + have >= end) {
        this.#rest = this.#rest.subarray(end - this.#pos);
        this.#pos = end;
        return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
      }
      this.#pos += this.#rest.length;
      this.#rest = Buffer.alloc(0);
      const next = await this.#chunks.next();
      if (next.done === true) return undefined;
      this.#rest = Buffer.isBuffer(next.value) ? next.value : Buffer.from(next.value as Uint8Array);
    }
  }

  close(): void {
    this.#stream.destroy();
  }
}

/** Bytes `[start, end)` of a file, with a pass of its own. */
async function readRange(layer: LayerFS, path: string, start: number, end: number): Promise<Buffer | undefined> {
  const reader = new ForwardReader(layer.createReadStream(path));
  try {
    return await reader.read(start, end);
  } finally {
    reader.close();
  }
}

/** What to look for. */
export interface SectionQuery {
  /** The section's name, e.g. `.dep-v0`. */
  readonly name: string;
  /** The largest section returned; a larger one is `too-large`. */
  readonly maxBytes: number;
  /** ELF file types (`e_type`) to look in; others are `absent`. Default: any. */
  readonly fileTypes?: readonly number[];
}

/**
 * Finds a section in the ELF file at `path` (a regular file of `fileSize`
 * bytes) and returns its bytes. Stream errors propagate (a listed file that
 * cannot be read is the caller's error to report).
 */
export async function readElfSection(layer: LayerFS, path: string, fileSize: number, query: SectionQuery): Promise<SectionLookup> {
  const { name, maxBytes, fileTypes } = query;
  const absent: SectionLookup = { status: 'absent' };
  const malformed: SectionLookup = { status: 'malformed' };
  const first = new ForwardReader(layer.createReadStream(path));
  let head: Buffer | undefined;
  let window: Buffer | undefined;
  let windowStart = 0;
  let table: { start: number; end: number } | undefined;
  let header;
  try {
    head = await first.read(0, Math.min(ELF_HEADER_SIZE, fileSize));
    header = head === undefined ? undefined : parseElfHeader(head);
    if (header === undefined || (fileTypes !== undefined && !fileTypes.includes(header.type))) return absent;
    table = sectionTableRange(header);
    if (table === undefined) return header.shnum > 0 && header.shoff > 0 ? malformed : absent;
    if (table.start < ELF_HEADER_SIZE || table.end > fileSize) return malformed;
    windowStart = Math.max(ELF_HEADER_SIZE, table.start - TAIL_WINDOW);
    window = await first.read(windowStart, table.end);
    if (window === undefined) return malformed;
  } finally {
    first.close();
  }
  const windowEnd = table.end;
  const windowBytes = window;
  /** Bytes `[start, end)` if the first pass kept them all. */
  const kept = (start: number, end: number): Buffer | undefined =>
    start >= windowStart && end <= windowEnd ? windowBytes.subarray(start - windowStart, end - windowStart) : undefined;

  const raw = parseSectionTable(header, window.subarray(table.start - windowStart));
  const strtab = raw?.[header.shstrndx];
  if (raw === undefined || strtab === undefined || strtab.offset + strtab.size > fileSize) return malformed;
  if (strtab.size > NAME_TABLE_LIMIT) return malformed;
  const names = kept(strtab.offset, strtab.offset + strtab.size) ?? (await readRange(layer, path, strtab.offset, strtab.offset + strtab.size));
  if (names === undefined) return malformed;
  const sections = nameSections(raw, names);
  if (sections === undefined) return malformed;
  const section = sections.find((s) => s.name === name);
  if (section === undefined) return absent;
  if (!sectionInFile(section, fileSize)) return section.type === SHT_NOBITS ? absent : malformed;
  if (section.size > maxBytes) return { status: 'too-large', size: section.size };
  const end = section.offset + section.size;
  const data = kept(section.offset, end) ?? (await readRange(layer, path, section.offset, end));
  return data === undefined ? malformed : { status: 'found', data };
}
