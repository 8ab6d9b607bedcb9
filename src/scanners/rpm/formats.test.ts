import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { isClairError } from '../../lib/errors.js';
import { buildNdb, packageHeader } from '../../test-support/rpm-fixtures.js';
import { bdbHeaderBlobs, isBdbHash } from './bdb.js';
import { adler32, isNdbPackages, ndbHeaderBlobs } from './ndb.js';
import { parseHeader } from './header.js';
import { loadInfo } from './info.js';

const fixture = (p: string): Buffer => Buffer.from(readFileSync(new URL(`./testdata/${p}`, import.meta.url)));

function invalid(fn: () => unknown, pattern: RegExp): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(isClairError(err, 'RPM_DB_INVALID'), String(err));
    assert.match((err as Error).message, pattern);
    return true;
  });
}

const names = (blobs: Buffer[]) => blobs.map((b) => loadInfo(parseHeader(b)).name);

/** Offset of the first page of type `type` in a BDB fixture (page size from the meta page). */
function firstPage(b: Buffer, little: boolean, type: number): { pgno: number; size: number } {
  const size = little ? b.readUInt32LE(20) : b.readUInt32BE(20);
  for (let p = 1; p * size < b.length; p++) if (b[p * size + 25] === type) return { pgno: p, size };
  throw new Error('no such page');
}

describe('BerkeleyDB hash reader', () => {
  it('recognises the hash magic in either byte order', () => {
    assert.equal(isBdbHash(fixture('bdb-le-4096/Packages')), true);
    assert.equal(isBdbHash(fixture('bdb-be-512/Packages')), true);
    assert.equal(isBdbHash(Buffer.from('Package: bash\nVersion: 1\n')), false);
    assert.equal(isBdbHash(Buffer.alloc(8)), false);
  });

  it('reads inline, single-page and multi-page off-page headers, skipping the zero key', () => {
    for (const v of ['bdb-le-4096', 'bdb-be-512', 'bdb-le-16384']) {
      assert.deepEqual(names(bdbHeaderBlobs(fixture(`${v}/Packages`))).sort(), ['bash', 'gpg-pubkey', 'nodejs', 'openssl-libs', 'tzdata'], v);
    }
  });

  it('rejects a bad magic, page type, page size or encryption', () => {
    const b = fixture('bdb-le-4096/Packages');
    let x = Buffer.from(b);
    x.writeUInt32LE(0x12345678, 12);
    invalid(() => bdbHeaderBlobs(x), /nonsense magic/);
    x = Buffer.from(b);
    x[25] = 9;
    invalid(() => bdbHeaderBlobs(x), /nonsense page type: 9/);
    x = Buffer.from(b);
    x.writeUInt32LE(1000, 20);
    invalid(() => bdbHeaderBlobs(x), /nonsense page size: 1000/);
    x = Buffer.from(b);
    x[24] = 1;
    invalid(() => bdbHeaderBlobs(x), /encryption not supported/);
    invalid(() => bdbHeaderBlobs(b.subarray(0, 100)), /too short/);
  });

  it('rejects a bucket chain that loops back on itself instead of looping forever', () => {
    const b = fixture('bdb-le-4096/Packages');
    const { pgno, size } = firstPage(b, true, 13);
    b.writeUInt32LE(pgno, pgno * size + 16); // next_pgno = itself
    invalid(() => bdbHeaderBlobs(b), new RegExp(`page ${pgno} reached twice`));
  });

  it('rejects an overflow chain that loops, leaves the file or is shorter than recorded', () => {
    const le = fixture('bdb-be-512/Packages');
    const { pgno, size } = firstPage(le, false, 7);
    let x = Buffer.from(le);
    x.writeUInt32BE(pgno, pgno * size + 16);
    invalid(() => bdbHeaderBlobs(x), /overflow page \d+ reached twice/);
    x = Buffer.from(le);
    x.writeUInt32BE(999_999, pgno * size + 16);
    invalid(() => bdbHeaderBlobs(x), /page 999999 out of range/);
    x = Buffer.from(le);
    x.writeUInt16BE(x.readUInt16BE(pgno * size + 22) - 1, pgno * size + 22);
    invalid(() => bdbHeaderBlobs(x), /expected \d+/);
    x = Buffer.from(le);
    x.writeUInt16BE(size, pgno * size + 22);
    invalid(() => bdbHeaderBlobs(x), /exceeds the page/);
  });

  it('rejects hash items it cannot read and nonsense item offsets', () => {
    const b = fixture('bdb-le-16384/Packages');
    const { pgno, size } = firstPage(b, true, 13);
    const firstItem = b.readUInt16LE(pgno * size + 26);
    let x = Buffer.from(b);
    x[pgno * size + firstItem] = 2; // H_DUPLICATE
    invalid(() => bdbHeaderBlobs(x), /unimplemented hash item type: 2/);
    x = Buffer.from(b);
    x[pgno * size + firstItem] = 77;
    invalid(() => bdbHeaderBlobs(x), /unknown hash item type: 77/);
    x = Buffer.from(b);
    x.writeUInt16LE(3, pgno * size + 26);
    invalid(() => bdbHeaderBlobs(x), /bad item offset 3/);
    x = Buffer.from(b);
    x.writeUInt16LE(60_000, pgno * size + 20);
    invalid(() => bdbHeaderBlobs(x), /too many entries/);
    x = Buffer.from(b);
    x.writeUInt32LE(4_000_000, 72);
    invalid(() => bdbHeaderBlobs(x), /nonsense bucket count/);
  });
});

describe('ndb Packages.db reader', () => {
  const blobs = [packageHeader({ name: 'a', version: '1', release: '1' }), packageHeader({ name: 'b', version: '2', release: '1' })];

  it('computes adler32 as zlib does', () => {
    assert.equal(adler32(Buffer.from('Wikipedia')), 0x11e60398);
    assert.equal(adler32(Buffer.alloc(0)), 1);
    assert.equal(adler32(Buffer.alloc(100_000, 0xff)), 0x149a302c); // python3 zlib.adler32
  });

  it('reads blobs in slot order, whatever their package index, and skips empty slots', () => {
    assert.equal(isNdbPackages(buildNdb(blobs)), true);
    assert.deepEqual(names(ndbHeaderBlobs(buildNdb(blobs))), ['a', 'b']);
    const twoPages = buildNdb(blobs, { slotPages: 2, indexes: [7, 3] });
    assert.deepEqual(names(ndbHeaderBlobs(twoPages)), ['a', 'b']);
    assert.deepEqual(ndbHeaderBlobs(buildNdb([])), []);
  });

  it('rejects bad headers, slots, blobs and checksums', () => {
    const good = buildNdb(blobs);
    let x = Buffer.from(good);
    x.write('RpmX', 0, 'latin1');
    invalid(() => ndbHeaderBlobs(x), /bad magic/);
    x = Buffer.from(good);
    x.writeUInt32LE(1, 4);
    invalid(() => ndbHeaderBlobs(x), /bad version/);
    x = Buffer.from(good);
    x.writeUInt32LE(1000, 12);
    invalid(() => ndbHeaderBlobs(x), /slot pages exceed the file/);
    x = Buffer.from(good);
    x.write('Slxt', 32, 'latin1');
    invalid(() => ndbHeaderBlobs(x), /slot @32: bad magic/);
    x = Buffer.from(good);
    x.writeUInt32LE(1, 32 + 12);
    invalid(() => ndbHeaderBlobs(x), /nonsense block count \(1\)/);
    x = Buffer.from(good);
    x.writeUInt32LE(0xfffffff, 32 + 8);
    invalid(() => ndbHeaderBlobs(x), /exceeds the file/);
    x = Buffer.from(good);
    x.writeUInt32LE(9, 32 + 4); // slot says package 9, blob says 1
    invalid(() => ndbHeaderBlobs(x), /martian blob/);
    x = Buffer.from(good);
    x[4096 + 40] = x[4096 + 40]! ^ 0xff; // a byte of the first header
    invalid(() => ndbHeaderBlobs(x), /checksum mismatch/);
    invalid(() => ndbHeaderBlobs(good.subarray(0, 10)), /short file/);
    invalid(() => ndbHeaderBlobs(good.subarray(0, good.length - 8)), /exceeds the file/);
  });

  it('rejects slots whose blobs overlap, instead of reading one blob once per slot', () => {
    // Many slots naming one blob made reading quadratic in the file size (1,023 slots: 0.3 s for 40 KB).
    const one = buildNdb([blobs[0]!]);
    const x = Buffer.from(one);
    x.copy(x, 48, 32, 48); // slot 2 = slot 1
    invalid(() => ndbHeaderBlobs(x), /blobs of packages 1 and 1 overlap/);
    const y = Buffer.from(buildNdb(blobs));
    y.writeUInt32LE(y.readUInt32LE(48 + 8) - 1, 48 + 8); // the second blob starts inside the first
    invalid(() => ndbHeaderBlobs(y), /blobs of packages 1 and 2 overlap/);
  });
});
