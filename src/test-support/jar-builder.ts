/**
 * @module A tiny zip writer for Java scanner tests: stored or deflated
 * entries (node:zlib `deflateRawSync`, CRC-32 computed here), plus a helper
 * that writes `MANIFEST.MF` text with the jar specification's 72-byte line
 * wrapping.
 *
 * @example
 * ```ts
 * const jar = buildZip([
 *   { name: 'META-INF/MANIFEST.MF', content: manifest({ 'Manifest-Version': '1.0' }) },
 *   { name: 'META-INF/maven/g/a/pom.properties', content: 'groupId=g\nartifactId=a\nversion=1\n', method: 'deflate' },
 * ]);
 * ```
 */
import { deflateRawSync } from 'node:zlib';

/** One archive member. A name ending in `/` is a directory. */
export interface ZipSpecEntry {
  name: string;
  content?: string | Uint8Array;
  /** Default `store`. */
  method?: 'store' | 'deflate';
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 (IEEE), as zip uses. */
export function crc32(b: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of b) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** A zip archive of `entries`, in order. */
export function buildZip(entries: readonly ZipSpecEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const data = typeof e.content === 'string' ? Buffer.from(e.content, 'utf8') : Buffer.from(e.content ?? new Uint8Array());
    const deflate = e.method === 'deflate';
    const stored = deflate ? deflateRawSync(data) : data;
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x800, 6); // UTF-8 names
    local.writeUInt16LE(deflate ? 8 : 0, 8);
    local.writeUInt16LE(0, 10);
    local.writeUInt16LE(0x21, 12); // 1980-01-01
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(stored.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x800, 8);
    central.writeUInt16LE(deflate ? 8 : 0, 10);
    central.writeUInt16LE(0, 12);
    central.writeUInt16LE(0x21, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(stored.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, stored);
    centrals.push(central, name);
    offset += local.length + name.length + stored.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

/**
 * Manifest text: `Name: value` lines in order, each wrapped at 72 bytes with
 * continuation lines starting with one space, CRLF line ends, and a final
 * blank line. Extra `sections` (per-entry attributes) follow the main one.
 */
export function manifest(main: Record<string, string>, sections: Record<string, string>[] = []): string {
  const section = (attrs: Record<string, string>) =>
    Object.entries(attrs)
      .map(([k, v]) => wrap(`${k}: ${v}`))
      .join('');
  return [section(main), ...sections.map(section)].join('\r\n') + '\r\n';
}

function wrap(line: string): string {
  const bytes = Buffer.from(line, 'utf8');
  const out: string[] = [bytes.subarray(0, 72).toString('utf8')];
  for (let at = 72; at < bytes.length; at += 71) out.push(` ${bytes.subarray(at, at + 71).toString('utf8')}`);
  return out.map((l) => `${l}\r\n`).join('');
}
