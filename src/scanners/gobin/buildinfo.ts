/**
 * @module Go build information (`debug/buildinfo.Read` and
 * `runtime/debug.ParseBuildInfo`), from an ELF executable.
 *
 * The linker writes a 32-byte header, aligned to 16 bytes, at the start of
 * `.go.buildinfo` (or near the start of the data segment): the magic
 * `"\xff Go buildinf:"`, the pointer size, a flags byte (bit 0 big-endian,
 * bit 1 "strings inline"). Go ≥ 1.18 writes the version and module strings
 * right after the header, each prefixed by its length as an unsigned varint;
 * older toolchains write two pointers to Go string headers
 * (`runtime.buildVersion`, `runtime.modinfo`) that must be followed through
 * the program's address space. The module string is framed by two 16-byte
 * sentinels.
 */
import { type ElfFile, firstDataSegment, readAt } from '../internal/elf.js';

const MAGIC = Buffer.from('\xff Go buildinf:', 'latin1');
const ALIGN = 16;
const HEADER_SIZE = 32;
/** How far from the data start Go looks for the header. */
const SEARCH_SIZE = 64 * 1024;

/** One module line (`mod`, `dep` or `=>`). */
export interface GoModule {
  path: string;
  version: string;
  sum: string;
  replace?: GoModule;
}

/** Go `debug.BuildInfo`. */
export interface GoBuildInfo {
  goVersion: string;
  path: string;
  main: GoModule;
  deps: GoModule[];
  settings: { key: string; value: string }[];
}

/** Go `elfExe.DataStart`: the `.go.buildinfo` section, else the first writable, non-executable loadable segment. */
function dataStart(f: ElfFile): number | undefined {
  for (const s of f.sections) if (s.name === '.go.buildinfo') return s.addr;
  return firstDataSegment(f);
}

/** The raw version and module strings; `undefined` when the file is not a Go executable. */
export function readRawBuildInfo(f: ElfFile): { version: string; modinfo: string } | undefined {
  const start = dataStart(f);
  if (start === undefined) return undefined;
  let data = readAt(f, start, SEARCH_SIZE);
  if (data === undefined) return undefined;
  for (;;) {
    const i = data.indexOf(MAGIC);
    if (i < 0 || data.length - i < HEADER_SIZE) return undefined;
    if (i % ALIGN === 0) {
      data = data.subarray(i);
      break;
    }
    data = data.subarray((i + ALIGN - 1) & ~(ALIGN - 1));
  }
  const ptrSize = data[14]!;
  const flags = data[15]!;
  let version: string;
  let modinfo: string;
  if ((flags & 2) !== 0) {
    const v = decodeString(data.subarray(HEADER_SIZE));
    version = v.s;
    modinfo = decodeString(v.rest).s;
  } else {
    const big = flags !== 0;
    let readPtr: (b: Buffer) => number;
    if (ptrSize === 4) readPtr = (b) => (big ? b.readUInt32BE(0) : b.readUInt32LE(0));
    else if (ptrSize === 8) readPtr = (b) => Number(big ? b.readBigUInt64BE(0) : b.readBigUInt64LE(0));
    else return undefined;
    version = readString(f, ptrSize, readPtr, readPtr(data.subarray(16)));
    modinfo = readString(f, ptrSize, readPtr, readPtr(data.subarray(16 + ptrSize)));
  }
  if (version === '') return undefined;
  // Framing is checked on bytes (the strings are latin1 here), then the text is decoded as UTF-8.
  if (modinfo.length >= 33 && modinfo[modinfo.length - 17] === '\n') modinfo = modinfo.slice(16, -16);
  else modinfo = '';
  const utf8 = (s: string) => Buffer.from(s, 'latin1').toString('utf8');
  return { version: utf8(version), modinfo: utf8(modinfo) };
}

/** Go `decodeString`: a uvarint length, then that many bytes; `''` (and no rest) if it does not fit. */
function decodeString(data: Buffer): { s: string; rest: Buffer } {
  let u = 0;
  let n = 0;
  for (let shift = 0; n < data.length && n < 10; shift += 7) {
    const b = data[n++]!;
    u += (b & 0x7f) * 2 ** shift;
    if (b < 0x80) {
      if (u >= data.length - n) return { s: '', rest: Buffer.alloc(0) };
      return { s: data.toString('latin1', n, n + u), rest: data.subarray(n + u) };
    }
  }
  return { s: '', rest: Buffer.alloc(0) };
}

/** Go `readString`: a string header (data pointer, length) at `addr`, then the bytes. */
function readString(f: ElfFile, ptrSize: number, readPtr: (b: Buffer) => number, addr: number): string {
  const hdr = readAt(f, addr, 2 * ptrSize);
  if (hdr === undefined || hdr.length < 2 * ptrSize) return '';
  const dataAddr = readPtr(hdr);
  const dataLen = readPtr(hdr.subarray(ptrSize));
  if (dataLen > 2 ** 32 || !Number.isSafeInteger(dataAddr)) return '';
  const data = readAt(f, dataAddr, dataLen);
  if (data === undefined || data.length < dataLen) return '';
  return data.toString('latin1');
}

/** Decodes a Go string literal (double- or back-quoted), as `strconv.Unquote`; `undefined` if malformed. */
function unquote(s: string): string | undefined {
  if (s.length >= 2 && s.startsWith('`') && s.endsWith('`')) return s.slice(1, -1).includes('`') ? undefined : s.slice(1, -1);
  if (s.length < 2 || !s.startsWith('"') || !s.endsWith('"')) return undefined;
  try {
    // A Go double-quoted literal without \x, \u, \U or octal escapes is valid JSON.
    const body = s.slice(1, -1).replace(/\\x([0-9a-fA-F]{2})/g, '\\u00$1').replace(/\\a/g, '\\u0007').replace(/\\v/g, '\\u000b');
    const v: unknown = JSON.parse(`"${body}"`);
    return typeof v === 'string' ? v : undefined;
  } catch {
    return undefined;
  }
}

/** Go's quoted-prefix of `s` (a leading `"…"` or `` `…` `` literal), or `undefined`. */
function quotedPrefix(s: string): string | undefined {
  const q = s[0];
  if (q === '`') {
    const end = s.indexOf('`', 1);
    return end < 0 ? undefined : s.slice(0, end + 1);
  }
  for (let i = 1; i < s.length; i++) {
    if (s[i] === '\\') i++;
    else if (s[i] === '"') return s.slice(0, i + 1);
  }
  return undefined;
}

function moduleLine(fields: string[]): GoModule | undefined {
  if (fields.length !== 2 && fields.length !== 3) return undefined;
  return { path: fields[0]!, version: fields[1]!, sum: fields[2] ?? '' };
}

/**
 * Go `debug.ParseBuildInfo`: `path`, `mod`, `dep`, `=>` and `build` lines,
 * tab-separated. A final line without a newline is ignored, as in Go.
 * `undefined` when a line is malformed (Go returns an error, and claircore
 * then skips the binary).
 */
export function parseModinfo(text: string): Omit<GoBuildInfo, 'goVersion'> | undefined {
  const info: Omit<GoBuildInfo, 'goVersion'> = { path: '', main: { path: '', version: '', sum: '' }, deps: [], settings: [] };
  let last: GoModule | undefined;
  let rest = text;
  for (;;) {
    const nl = rest.indexOf('\n');
    if (nl < 0) break;
    const line = rest.slice(0, nl);
    rest = rest.slice(nl + 1);
    if (line.startsWith('path\t')) {
      info.path = line.slice(5);
    } else if (line.startsWith('mod\t')) {
      const m = moduleLine(line.slice(4).split('\t'));
      if (m === undefined) return undefined;
      info.main = m;
      last = info.main;
    } else if (line.startsWith('dep\t')) {
      const m = moduleLine(line.slice(4).split('\t'));
      if (m === undefined) return undefined;
      info.deps.push(m);
      last = m;
    } else if (line.startsWith('=>\t')) {
      const m = moduleLine(line.slice(3).split('\t'));
      if (m === undefined || last === undefined) return undefined;
      last.replace = m;
      last = undefined;
    } else if (line.startsWith('build\t')) {
      const setting = buildSetting(line.slice(6));
      if (setting === undefined) return undefined;
      info.settings.push(setting);
    }
  }
  return info;
}

function buildSetting(kv: string): { key: string; value: string } | undefined {
  if (kv.length < 1 || kv[0] === '=') return undefined;
  let key: string;
  let raw: string;
  if (kv[0] === '"' || kv[0] === '`') {
    const q = quotedPrefix(kv);
    const k = q === undefined ? undefined : unquote(q);
    if (q === undefined || k === undefined || kv[q.length] !== '=') return undefined;
    key = k;
    raw = kv.slice(q.length + 1);
  } else {
    const eq = kv.indexOf('=');
    if (eq < 0) return undefined;
    key = kv.slice(0, eq);
    raw = kv.slice(eq + 1);
  }
  let value = raw;
  if (raw.startsWith('"') || raw.startsWith('`')) {
    const v = unquote(raw);
    if (v === undefined) return undefined;
    value = v;
  }
  return { key, value };
}

/** Go `buildinfo.Read` for an ELF file: `undefined` when it is not a Go executable or its build info does not parse. */
export function readBuildInfo(f: ElfFile): GoBuildInfo | undefined {
  const raw = readRawBuildInfo(f);
  if (raw === undefined) return undefined;
  const info = parseModinfo(raw.modinfo);
  return info === undefined ? undefined : { goVersion: raw.version, ...info };
}
