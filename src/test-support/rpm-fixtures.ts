/**
 * @module Synthetic rpm data for tests, built from the format specifications
 * rather than by rpm: header blobs (with or without an immutable region),
 * ndb `Packages.db` files (this machine's rpm has no ndb backend, so no real
 * one could be generated), and OpenPGP signature packets.
 *
 * Real databases generated with rpm live in `src/scanners/rpm/testdata/`.
 */
import { adler32 } from '../scanners/rpm/ndb.js';
import { RpmTag, RpmType } from '../scanners/rpm/header.js';

/** One tag of a synthetic header. */
export type HeaderValue =
  | { tag: number; type: typeof RpmType.String; value: string }
  | { tag: number; type: typeof RpmType.StringArray; value: string[] }
  | { tag: number; type: typeof RpmType.Int32; value: number[] }
  | { tag: number; type: typeof RpmType.Bin; value: Uint8Array };

export const str = (tag: number, value: string): HeaderValue => ({ tag, type: RpmType.String, value });
export const strs = (tag: number, value: string[]): HeaderValue => ({ tag, type: RpmType.StringArray, value });
export const int32 = (tag: number, ...value: number[]): HeaderValue => ({ tag, type: RpmType.Int32, value });
export const bin = (tag: number, value: Uint8Array): HeaderValue => ({ tag, type: RpmType.Bin, value });

function encode(v: HeaderValue): Buffer {
  switch (v.type) {
    case RpmType.String:
      return Buffer.from(`${v.value}\0`, 'utf8');
    case RpmType.StringArray:
      return Buffer.from(v.value.map((s) => `${s}\0`).join(''), 'utf8');
    case RpmType.Int32: {
      const b = Buffer.alloc(v.value.length * 4);
      v.value.forEach((n, i) => b.writeInt32BE(n, i * 4));
      return b;
    }
    case RpmType.Bin:
      return Buffer.from(v.value);
  }
}

function count(v: HeaderValue): number {
  switch (v.type) {
    case RpmType.String:
      return 1;
    case RpmType.StringArray:
    case RpmType.Int32:
      return v.value.length;
    case RpmType.Bin:
      return v.value.length;
  }
}

/**
 * A stored header blob (no lead, no magic). With `region` (the default) the
 * entries are wrapped in a `HEADERIMMUTABLE` region whose trailer is the last
 * 16 data bytes, as rpm writes installed headers; without, it is a bare
 * (BDB-era) header.
 */
export function buildHeader(values: readonly HeaderValue[], options: { region?: boolean } = {}): Buffer {
  const region = options.region ?? true;
  const index: Buffer[] = [];
  const data: Buffer[] = [];
  let dl = 0;
  const entry = (tag: number, type: number, offset: number, n: number): Buffer => {
    const e = Buffer.alloc(16);
    e.writeInt32BE(tag, 0);
    e.writeUInt32BE(type, 4);
    e.writeInt32BE(offset, 8);
    e.writeUInt32BE(n, 12);
    return e;
  };
  for (const v of values) {
    const align = v.type === RpmType.Int32 ? 4 : 1;
    const pad = (align - (dl % align)) % align;
    if (pad) {
      data.push(Buffer.alloc(pad));
      dl += pad;
    }
    const bytes = encode(v);
    index.push(entry(v.tag, v.type, dl, count(v)));
    data.push(bytes);
    dl += bytes.length;
  }
  if (region) {
    const il = index.length + 1;
    index.unshift(entry(RpmTag.HeaderImmutable, RpmType.Bin, dl, 16));
    data.push(entry(RpmTag.HeaderImmutable, RpmType.Bin, -il * 16, 16));
    dl += 16;
  }
  const pre = Buffer.alloc(8);
  pre.writeUInt32BE(index.length, 0);
  pre.writeUInt32BE(dl, 4);
  return Buffer.concat([pre, ...index, ...data]);
}

/** Fields of a typical installed package header. */
export interface PackageFields {
  name: string;
  version: string;
  release: string;
  epoch?: number;
  arch?: string;
  sourceRpm?: string;
  modularityLabel?: string;
  payloadDigest?: string;
  payloadDigestAlgo?: number;
  sigPgp?: Uint8Array;
  rsaHeader?: Uint8Array;
  /** Installed files, absolute. */
  files?: string[];
}

/** A header for an installed package with the given fields. */
export function packageHeader(f: PackageFields, options: { region?: boolean } = {}): Buffer {
  const v: HeaderValue[] = [];
  if (f.sigPgp) v.push(bin(RpmTag.SigPGP, f.sigPgp));
  if (f.rsaHeader) v.push(bin(RpmTag.RSAHeader, f.rsaHeader));
  v.push(str(RpmTag.Name, f.name), str(RpmTag.Version, f.version), str(RpmTag.Release, f.release));
  if (f.epoch !== undefined) v.push(int32(RpmTag.Epoch, f.epoch));
  if (f.arch !== undefined) v.push(str(RpmTag.Arch, f.arch));
  if (f.sourceRpm !== undefined) v.push(str(RpmTag.SourceRPM, f.sourceRpm));
  if (f.files && f.files.length > 0) {
    const dirs: string[] = [];
    const idx: number[] = [];
    const bases: string[] = [];
    for (const p of f.files) {
      const slash = p.lastIndexOf('/');
      const d = p.slice(0, slash + 1);
      let i = dirs.indexOf(d);
      if (i < 0) i = dirs.push(d) - 1;
      idx.push(i);
      bases.push(p.slice(slash + 1));
    }
    v.push(int32(RpmTag.Dirindexes, ...idx), strs(RpmTag.Basenames, bases), strs(RpmTag.Dirnames, dirs));
  }
  if (f.payloadDigest !== undefined) v.push(strs(RpmTag.PayloadDigest, [f.payloadDigest]));
  if (f.payloadDigestAlgo !== undefined) v.push(int32(RpmTag.PayloadDigestAlgo, f.payloadDigestAlgo));
  if (f.modularityLabel !== undefined) v.push(str(RpmTag.ModularityLabel, f.modularityLabel));
  return buildHeader(v, options);
}

/** Options of {@link buildNdb}. */
export interface NdbOptions {
  /** Package index of each blob (default 1, 2, …). */
  indexes?: number[];
  /** Slot pages (default 1). */
  slotPages?: number;
}

/**
 * An ndb `Packages.db` holding `blobs`, laid out as rpm's `rpmpkg.c` does:
 * a 32-byte header in the first slot page, 16-byte slots, then 16-byte-block
 * aligned blobs with an adler32 trailer.
 */
export function buildNdb(blobs: readonly Buffer[], options: NdbOptions = {}): Buffer {
  const slotPages = options.slotPages ?? 1;
  const indexes = options.indexes ?? blobs.map((_, i) => i + 1);
  const slotArea = Buffer.alloc(slotPages * 4096);
  slotArea.write('RpmP', 0, 'latin1');
  slotArea.writeUInt32LE(0, 4); // version
  slotArea.writeUInt32LE(1, 8); // generation
  slotArea.writeUInt32LE(slotPages, 12);
  slotArea.writeUInt32LE(Math.max(0, ...indexes) + 1, 16);
  for (let off = 32; off < slotArea.length; off += 16) slotArea.write('Slot', off, 'latin1');
  const blobArea: Buffer[] = [];
  let block = slotArea.length / 16;
  blobs.forEach((h, i) => {
    const index = indexes[i]!;
    const length = Math.ceil((16 + h.length + 12) / 16) * 16;
    const b = Buffer.alloc(length);
    b.write('BlbS', 0, 'latin1');
    b.writeUInt32LE(index, 4);
    b.writeUInt32LE(1, 8);
    b.writeUInt32LE(h.length, 12);
    h.copy(b, 16);
    const tail = length - 12;
    b.writeUInt32LE(adler32(b.subarray(0, tail)), tail);
    b.writeUInt32LE(h.length, tail + 4);
    b.write('BlbE', tail + 8, 'latin1');
    const slot = 32 + i * 16;
    slotArea.writeUInt32LE(index, slot + 4);
    slotArea.writeUInt32LE(block, slot + 8);
    slotArea.writeUInt32LE(length / 16, slot + 12);
    blobArea.push(b);
    block += length / 16;
  });
  return Buffer.concat([slotArea, ...blobArea]);
}

function newPacket(tag: number, body: Buffer): Buffer {
  if (body.length >= 192) throw new RangeError('test packets are short');
  return Buffer.concat([Buffer.from([0xc0 | tag, body.length]), body]);
}

/** An OpenPGP v3 signature packet (old-format header, as rpm's v3 signatures are). */
export function pgpV3Signature(keyId: string, sigType = 0): Buffer {
  const body = Buffer.concat([
    Buffer.from([3, 5, sigType]),
    Buffer.from([0x65, 0x00, 0x00, 0x00]), // creation time
    Buffer.from(keyId, 'hex'),
    Buffer.from([1, 8]), // RSA, SHA-256
    Buffer.from([0xab, 0xcd]), // hash left 16 bits
    Buffer.from([0x00, 0x08, 0xff]), // a tiny MPI
  ]);
  return Buffer.concat([Buffer.from([0x88, body.length]), body]); // old format, tag 2, 1-byte length
}

/** An OpenPGP v4 signature packet with an issuer subpacket in the chosen area. */
export function pgpV4Signature(keyId: string, options: { sigType?: number; area?: 'hashed' | 'unhashed' | 'none' } = {}): Buffer {
  const area = options.area ?? 'unhashed';
  const creation = Buffer.from([5, 2, 0x65, 0, 0, 0]); // length 5, type 2 (creation time)
  const issuer = Buffer.concat([Buffer.from([9, 16]), Buffer.from(keyId, 'hex')]);
  const hashed = area === 'hashed' ? Buffer.concat([creation, issuer]) : creation;
  const unhashed = area === 'unhashed' ? issuer : Buffer.alloc(0);
  const lengths = (b: Buffer): Buffer => {
    const l = Buffer.alloc(2);
    l.writeUInt16BE(b.length);
    return l;
  };
  const body = Buffer.concat([
    Buffer.from([4, options.sigType ?? 0, 1, 8]),
    lengths(hashed),
    hashed,
    lengths(unhashed),
    unhashed,
    Buffer.from([0xab, 0xcd, 0x00, 0x08, 0xff]),
  ]);
  return newPacket(2, body);
}
