import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isClairError } from '../../lib/errors.js';
import { bin, buildHeader, int32, packageHeader, pgpV3Signature, pgpV4Signature, str, strs } from '../../test-support/rpm-fixtures.js';
import { parseHeader, RpmTag, RpmType, readInt32s, readString, readStringArray } from './header.js';
import { loadInfo, moduleStream, rpmHint } from './info.js';
import { pgpIssuerKeyId } from './pgp.js';

function invalid(fn: () => unknown, pattern: RegExp): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(isClairError(err, 'RPM_DB_INVALID'), String(err));
    assert.match((err as Error).message, pattern);
    return true;
  });
}

const tagOf = (blob: Buffer, tag: number) => {
  const h = parseHeader(blob);
  const e = h.entries.find((x) => x.tag === tag);
  assert.ok(e);
  return { h, e };
};

describe('rpm header blobs', () => {
  it('parses a region header and reads strings, string arrays and int32s', () => {
    const blob = buildHeader([str(RpmTag.Name, 'bash'), int32(RpmTag.Epoch, 2), strs(RpmTag.Basenames, ['a', 'b'])]);
    const h = parseHeader(blob);
    assert.deepEqual(
      h.entries.map((e) => e.tag),
      [RpmTag.HeaderImmutable, RpmTag.Name, RpmTag.Epoch, RpmTag.Basenames],
    );
    assert.equal(readString(h, h.entries[1]!), 'bash');
    assert.deepEqual(readInt32s(h, h.entries[2]!), [2]);
    assert.deepEqual(readStringArray(h, h.entries[3]!), ['a', 'b']);
  });

  it('parses a region-less (BerkeleyDB-era) header laxly', () => {
    const h = parseHeader(buildHeader([int32(50, 1), str(RpmTag.Name, 'old')], { region: false }));
    assert.equal(h.entries.length, 2);
  });

  it('rejects truncated, oversized and empty blobs', () => {
    const blob = buildHeader([str(RpmTag.Name, 'x')]);
    invalid(() => parseHeader(blob.subarray(0, 4)), /short header/);
    invalid(() => parseHeader(blob.subarray(0, blob.length - 1)), /not enough data/);
    invalid(() => parseHeader(Buffer.concat([blob, Buffer.alloc(1)])), /not enough data/);
    invalid(() => parseHeader(Buffer.alloc(8)), /no tags/);
    const huge = Buffer.alloc(8);
    huge.writeUInt32BE(0x10000, 0);
    invalid(() => parseHeader(huge), /number of tags \(65536\) out of range/);
    huge.writeUInt32BE(1, 0);
    huge.writeUInt32BE(0x10000000, 4);
    invalid(() => parseHeader(huge), /data length .* out of range/);
  });

  it('rejects a bad region trailer and a region offset past the data', () => {
    const blob = buildHeader([str(RpmTag.Name, 'x')]);
    const badTrailer = Buffer.from(blob);
    badTrailer.writeInt32BE(RpmTag.HeaderImage, badTrailer.length - 16); // trailer tag ≠ region tag
    invalid(() => parseHeader(badTrailer), /bad region trailer/);
    const badOffset = Buffer.from(blob);
    badOffset.writeInt32BE(1 << 20, 8 + 8); // region entry offset
    invalid(() => parseHeader(badOffset), /nonsense region offset/);
  });

  it('rejects entries with a bad type, count, alignment or offset, or a tag typed against the tag table', () => {
    const base = () => Buffer.from(buildHeader([str(RpmTag.Name, 'x'), int32(RpmTag.Epoch, 1)]));
    const second = 8 + 16 * 1; // entry 1 (Name)
    const third = 8 + 16 * 2; // entry 2 (Epoch)
    let b = base();
    b.writeUInt32BE(42, second + 4);
    invalid(() => parseHeader(b), /bad type 42/);
    b = base();
    b.writeUInt32BE(0, second + 12);
    invalid(() => parseHeader(b), /bad count 0/);
    b = base();
    b.writeInt32BE(b.readInt32BE(third + 8) + 2, third + 8);
    invalid(() => parseHeader(b), /weird alignment/);
    b = base();
    b.writeInt32BE(-4, third + 8);
    invalid(() => parseHeader(b), /bad offset -4/);
    b = base();
    b.writeInt32BE(7, second); // tag < 100 inside a region
    invalid(() => parseHeader(b), /bad tag 7/);
    b = base();
    b.writeUInt32BE(RpmType.Bin, second + 4); // NAME as binary
    invalid(() => parseHeader(b), /typecheck fail/);
  });

  it('rejects reads of an unterminated string or of the wrong type', () => {
    const blob = buildHeader([bin(RpmTag.Name, Buffer.from('abc'))], { region: false });
    const { h, e } = tagOf(blob, RpmTag.Name);
    invalid(() => readString(h, e), /expected a string/);
    const s = Buffer.from(buildHeader([str(RpmTag.Name, 'abc')], { region: false }));
    s[s.length - 1] = 0x41; // overwrite the NUL
    const t = tagOf(s, RpmTag.Name);
    invalid(() => readString(t.h, t.e), /unterminated string/);
  });

  it('pads a short string array and ends an unterminated last string at the data end, as claircore', () => {
    const blob = Buffer.from(buildHeader([strs(RpmTag.Basenames, ['a', 'bc'])], { region: false }));
    blob[blob.length - 1] = 0x64; // "a\0bcd"
    blob.writeUInt32BE(3, 8 + 12); // count 3
    const { h, e } = tagOf(blob, RpmTag.Basenames);
    assert.deepEqual(readStringArray(h, e), ['a', 'bcd', '']);
  });
});

describe('rpm package information', () => {
  it('loads identity, source, module, digest and files', () => {
    const info = loadInfo(
      parseHeader(
        packageHeader({
          name: 'nodejs',
          version: '18.14.2',
          release: '2.module',
          epoch: 1,
          arch: 'x86_64',
          sourceRpm: 'nodejs-18.14.2-2.module.src.rpm',
          modularityLabel: 'nodejs:18:8070020230306170042:ad008a3a',
          payloadDigest: 'ab'.repeat(32),
          payloadDigestAlgo: 8,
          files: ['/usr/bin/node', '/usr/share/doc/node/README'],
        }),
      ),
    );
    assert.equal(info.name, 'nodejs');
    assert.equal(info.epoch, 1);
    assert.equal(info.sourceRpm, 'nodejs-18.14.2-2.module.src.rpm');
    assert.deepEqual(info.files, ['usr/bin/node', 'usr/share/doc/node/README']);
    assert.equal(moduleStream(info.module), 'nodejs:18');
  });

  it('splits old-style FILENAMES into the file list', () => {
    const info = loadInfo(parseHeader(buildHeader([str(RpmTag.Name, 'old'), strs(RpmTag.Filenames, ['/b/y', '/a/x', '/b/z'])])));
    assert.deepEqual(info.files, ['a/x', 'b/y', 'b/z']);
  });

  it('decodes only the last entry of a repeated tag, in time linear in the header', () => {
    assert.equal(loadInfo(parseHeader(buildHeader([str(RpmTag.Name, 'first'), str(RpmTag.Version, '1'), str(RpmTag.Name, 'second')], { region: false }))).name, 'second');
    // Shrunk from fuzzing: thousands of BASENAMES entries over all of the data took 33 s for 130 KB.
    const il = 20_000;
    const dl = 65_536;
    const hostile = Buffer.alloc(8 + il * 16 + dl);
    hostile.writeUInt32BE(il, 0);
    hostile.writeUInt32BE(dl, 4);
    for (let i = 0; i < il; i++) {
      const at = 8 + i * 16;
      hostile.writeInt32BE(RpmTag.Basenames, at);
      hostile.writeUInt32BE(RpmType.StringArray, at + 4);
      hostile.writeUInt32BE(dl, at + 12);
    }
    const started = performance.now();
    invalid(() => loadInfo(parseHeader(hostile)), /mismatched "base" and "dir" counts: 65536, 0/);
    assert.ok(performance.now() - started < 2_000, `took ${performance.now() - started} ms`);
  });

  it('rejects an inconsistent file list, as claircore', () => {
    const mismatched = buildHeader([strs(RpmTag.Basenames, ['a', 'b']), int32(RpmTag.Dirindexes, 0), strs(RpmTag.Dirnames, ['/'])]);
    invalid(() => loadInfo(parseHeader(mismatched)), /mismatched "base" and "dir" counts: 2, 1/);
    const outOfRange = buildHeader([int32(RpmTag.Dirindexes, 3), strs(RpmTag.Basenames, ['a']), strs(RpmTag.Dirnames, ['/'])]);
    invalid(() => loadInfo(parseHeader(outOfRange)), /invalid "dirindex": index 3/);
  });

  it('keeps name:stream only for labels with at least two colons', () => {
    assert.equal(moduleStream('perl:5.30:8030020200612:a5e9de91'), 'perl:5.30');
    assert.equal(moduleStream('perl:5.30:'), 'perl:5.30');
    assert.equal(moduleStream('perl:5.30'), '');
    assert.equal(moduleStream(''), '');
  });

  it('builds claircore’s hint: sha256 digests only, SIGPGP issuer first, RSAHEADER otherwise', () => {
    const base = { name: 'p', version: '1', release: '1' };
    const hintOf = (f: Partial<Parameters<typeof packageHeader>[0]>) => rpmHint(loadInfo(parseHeader(packageHeader({ ...base, ...f }))));
    assert.equal(hintOf({}), '');
    assert.equal(hintOf({ payloadDigest: 'ff', payloadDigestAlgo: 8 }), 'hash=sha256%3Aff');
    assert.equal(hintOf({ payloadDigest: 'ff', payloadDigestAlgo: 10 }), ''); // SHA-512 is not recorded
    assert.equal(hintOf({ sigPgp: pgpV3Signature('199e2f91fd431d51') }), 'key=199e2f91fd431d51');
    assert.equal(
      hintOf({ payloadDigest: 'ff', payloadDigestAlgo: 8, sigPgp: pgpV4Signature('0123456789abcdef'), rsaHeader: pgpV4Signature('fedcba9876543210') }),
      'hash=sha256%3Aff&key=0123456789abcdef',
    );
    assert.equal(hintOf({ rsaHeader: pgpV4Signature('fedcba9876543210', { area: 'hashed' }) }), 'key=fedcba9876543210');
  });
});

describe('OpenPGP issuer key ids', () => {
  it('reads v3 and v4 (hashed or unhashed issuer) signatures', () => {
    assert.equal(pgpIssuerKeyId(pgpV3Signature('00000000deadbeef')), '00000000deadbeef');
    assert.equal(pgpIssuerKeyId(pgpV4Signature('1122334455667788')), '1122334455667788');
    assert.equal(pgpIssuerKeyId(pgpV4Signature('1122334455667788', { area: 'hashed' })), '1122334455667788');
  });

  it('ignores non-binary signatures and signatures without an issuer; the last one wins', () => {
    assert.equal(pgpIssuerKeyId(pgpV4Signature('1122334455667788', { sigType: 0x13 })), undefined);
    assert.equal(pgpIssuerKeyId(pgpV3Signature('1122334455667788', 1)), undefined);
    assert.equal(pgpIssuerKeyId(pgpV4Signature('1122334455667788', { area: 'none' })), undefined);
    const two = Buffer.concat([pgpV3Signature('aaaaaaaaaaaaaaaa'), pgpV4Signature('bbbbbbbbbbbbbbbb')]);
    assert.equal(pgpIssuerKeyId(two), 'bbbbbbbbbbbbbbbb');
  });

  it('stops quietly at truncated or garbage input', () => {
    const sig = pgpV4Signature('1122334455667788');
    assert.equal(pgpIssuerKeyId(sig.subarray(0, sig.length - 3)), undefined);
    assert.equal(pgpIssuerKeyId(Buffer.from([0x00, 0x01, 0x02])), undefined);
    assert.equal(pgpIssuerKeyId(Buffer.alloc(0)), undefined);
    const bad = Buffer.from(sig);
    bad[2] = 9; // version 9
    assert.equal(pgpIssuerKeyId(bad), undefined);
  });
});
