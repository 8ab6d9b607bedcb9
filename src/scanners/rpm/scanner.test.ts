import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import initSqlJs from 'sql.js';
import type { ScannedPackage } from '../../model/scanned.js';
import { isClairError } from '../../lib/errors.js';
import { memoryLayer } from '../../test-support/memory-layer-fs.js';
import { buildNdb, packageHeader } from '../../test-support/rpm-fixtures.js';
import { RPM_SCANNER_KIND, RPM_SCANNER_NAME, RPM_SCANNER_VERSION, rpmPackageScanner, rpmPathSet } from './index.js';

const fixture = (p: string): Buffer => readFileSync(new URL(`./testdata/${p}`, import.meta.url));

const KEY = '7eada7e40300e1bd';
const hint = (digest: string, key?: string): string => `hash=sha256%3A${digest}${key ? `&key=${key}` : ''}`;

function source(name: string, version: string, packageDb: string): ScannedPackage {
  return { name, version, kind: 'source', arch: '', module: '', cpe: '', packageDb, filepath: '', repositoryHint: '' };
}

/** The fixture packages as rpm -qa reports them (see testdata/README.md), keyed by name. */
function expected(packageDb: string): Record<string, ScannedPackage> {
  const bin = (p: Omit<ScannedPackage, 'kind' | 'cpe' | 'packageDb' | 'filepath'>): ScannedPackage => ({
    ...p,
    kind: 'binary',
    cpe: '',
    packageDb,
    filepath: '',
  });
  return {
    'openssl-libs': bin({
      name: 'openssl-libs',
      version: '1:3.0.7-27.el9',
      arch: 'x86_64',
      module: '',
      source: source('openssl', '3.0.7-27.el9', packageDb),
      repositoryHint: hint('249b2e88bc4ba3a26c7695333adef53852402eaccad67d11370021748e5fefd2', KEY),
    }),
    nodejs: bin({
      name: 'nodejs',
      version: '1:18.14.2-2.module_el8.7.0+1240+a0e6b3c8',
      arch: 'x86_64',
      module: 'nodejs:18',
      source: source('nodejs', '18.14.2-2.module_el8.7.0+1240+a0e6b3c8', packageDb),
      repositoryHint: hint('5ccb6542316f0e3457d8069cc0d0d6bc5934e81c9bb186ad55a30dd39f24a916'),
    }),
    bash: bin({
      name: 'bash',
      version: '5.1.8-6.el9',
      arch: 'x86_64',
      module: '',
      source: source('bash', '5.1.8-6.el9', packageDb),
      // No SIGPGP: the key comes from RSAHEADER (an extension over claircore).
      repositoryHint: hint('be6f5655f44429147252ff375ad827f1083ad9bba8f5f1f7073d694b55ec0e43', KEY),
    }),
    tzdata: bin({
      name: 'tzdata',
      version: '2023c-1.el9',
      arch: 'noarch',
      module: '',
      source: source('tzdata', '2023c-1.el9', packageDb),
      repositoryHint: hint('9e04778479344175b27636e6fda8db0c3c40fa6984c4084dbd68393aec6703f2'),
    }),
  };
}

const inOrder = (db: string, names: string[]): ScannedPackage[] => names.map((n) => expected(db)[n]!);

async function scan(entries: Parameters<typeof memoryLayer>[0]): Promise<ScannedPackage[]> {
  return rpmPackageScanner.scan(memoryLayer(entries), {});
}

async function rejectsInvalid(p: Promise<unknown>, pattern: RegExp): Promise<void> {
  await assert.rejects(p, (err: unknown) => {
    assert.ok(isClairError(err, 'RPM_DB_INVALID'), `not RPM_DB_INVALID: ${String(err)}`);
    assert.match((err as Error).message, pattern);
    return true;
  });
}

describe('rpm package scanner', () => {
  it('has claircore’s persisted identity', () => {
    assert.equal(RPM_SCANNER_NAME, 'rpm');
    assert.equal(RPM_SCANNER_VERSION, '10');
    assert.equal(RPM_SCANNER_KIND, 'package');
    assert.deepEqual([rpmPackageScanner.name, rpmPackageScanner.version, rpmPackageScanner.kind], ['rpm', '10', 'package']);
  });

  it('reads an rpm-generated SQLite database in hnum order, skipping gpg-pubkey', async () => {
    const got = await scan([{ path: 'var/lib/rpm/rpmdb.sqlite', content: fixture('sqlite/rpmdb.sqlite') }]);
    assert.deepEqual(got, inOrder('sqlite:var/lib/rpm', ['openssl-libs', 'nodejs', 'bash', 'tzdata']));
  });

  it('shares one source package object between binaries with the same SOURCERPM', async () => {
    const db = buildNdb([
      packageHeader({ name: 'a', version: '1', release: '1', arch: 'x86_64', sourceRpm: 'ab-1-1.src.rpm' }),
      packageHeader({ name: 'b', version: '1', release: '1', arch: 'x86_64', sourceRpm: 'ab-1-1.src.rpm' }),
    ]);
    const [a, b] = await scan([{ path: 'var/lib/rpm/Packages.db', content: db }]);
    assert.ok(a?.source !== undefined && a.source === b?.source);
    assert.deepEqual(a.source, source('ab', '1-1', 'ndb:var/lib/rpm'));
  });

  it('reads a SQLite database whose header says WAL mode', async () => {
    const wal = Buffer.from(fixture('sqlite/rpmdb.sqlite'));
    wal[18] = 2;
    wal[19] = 2;
    const got = await scan([{ path: 'usr/lib/sysimage/rpm/rpmdb.sqlite', content: wal }]);
    assert.deepEqual(got, inOrder('sqlite:usr/lib/sysimage/rpm', ['openssl-libs', 'nodejs', 'bash', 'tzdata']));
  });

  for (const variant of ['bdb-le-4096', 'bdb-be-512', 'bdb-le-16384']) {
    it(`reads the libdb-generated BerkeleyDB hash database ${variant} in bucket order`, async () => {
      const got = await scan([{ path: 'var/lib/rpm/Packages', content: fixture(`${variant}/Packages`) }]);
      assert.deepEqual(got, inOrder('bdb:var/lib/rpm', ['openssl-libs', 'bash', 'nodejs', 'tzdata']));
    });
  }

  it('reads an ndb Packages.db', async () => {
    const db = buildNdb([
      packageHeader({
        name: 'glibc',
        version: '2.31',
        release: '150300.63.1',
        arch: 'x86_64',
        sourceRpm: 'glibc-2.31-150300.63.1.nosrc.rpm',
        payloadDigest: 'aa'.repeat(32),
        payloadDigestAlgo: 8,
      }),
      packageHeader({ name: 'gpg-pubkey', version: '39db7c82', release: '5f68629b' }),
      packageHeader({ name: 'filesystem', version: '15.0', release: '11.3.2', epoch: 0, arch: 'x86_64', sourceRpm: '(none)' }),
    ]);
    const got = await scan([{ path: 'usr/lib/sysimage/rpm/Packages.db', content: db }]);
    const packageDb = 'ndb:usr/lib/sysimage/rpm';
    assert.deepEqual(got, [
      {
        name: 'glibc',
        version: '2.31-150300.63.1',
        kind: 'binary',
        arch: 'x86_64',
        module: '',
        cpe: '',
        packageDb,
        filepath: '',
        repositoryHint: `hash=sha256%3A${'aa'.repeat(32)}`,
        source: source('glibc', '2.31-150300.63.1', packageDb),
      },
      { name: 'filesystem', version: '15.0-11.3.2', kind: 'binary', arch: 'x86_64', module: '', cpe: '', packageDb, filepath: '', repositoryHint: '' },
    ]);
  });

  it('gives no source package for an unparsable SOURCERPM, as claircore logs and moves on', async () => {
    const db = buildNdb([packageHeader({ name: 'odd', version: '1', release: '1', sourceRpm: 'nodashes.src.rpm' })]);
    const [pkg] = await scan([{ path: 'Packages.db', content: db }]);
    assert.equal(pkg?.source, undefined);
    assert.equal(pkg?.packageDb, 'ndb:.');
  });

  it('returns nothing for a layer without rpm databases, or with look-alike files', async () => {
    assert.deepEqual(await scan([]), []);
    assert.deepEqual(
      await scan([
        { path: 'var/lib/apt/lists/Packages', content: 'Package: bash\nVersion: 5.1\n' },
        { path: 'srv/Packages.db', content: 'not ndb at all' },
        { path: 'etc/os-release', content: 'ID=fedora\n' },
      ]),
      [],
    );
  });

  it('reads one database per directory (BDB before ndb before SQLite) and every directory in walk order', async () => {
    const ndb = buildNdb([packageHeader({ name: 'x', version: '1', release: '1', arch: 'noarch' })]);
    const got = await scan([
      { path: 'var/lib/rpm/rpmdb.sqlite', content: fixture('sqlite/rpmdb.sqlite') },
      { path: 'var/lib/rpm/Packages', content: fixture('bdb-le-4096/Packages') },
      { path: 'opt/app/rpm/Packages.db', content: ndb },
    ]);
    assert.deepEqual(
      got.map((p) => `${p.packageDb} ${p.name}`),
      ['ndb:opt/app/rpm x', 'bdb:var/lib/rpm openssl-libs', 'bdb:var/lib/rpm bash', 'bdb:var/lib/rpm nodejs', 'bdb:var/lib/rpm tzdata'],
    );
  });

  it('follows a symlinked database file', async () => {
    const got = await scan([
      { path: 'usr/lib/sysimage/rpm/rpmdb.sqlite', content: fixture('sqlite/rpmdb.sqlite') },
      { path: 'var/lib/rpm', type: 'symlink', target: '../../usr/lib/sysimage/rpm' },
      { path: 'opt/db/rpmdb.sqlite', type: 'symlink', target: '/usr/lib/sysimage/rpm/rpmdb.sqlite' },
    ]);
    assert.deepEqual(
      got.map((p) => p.packageDb),
      [...Array(4).fill('sqlite:opt/db'), ...Array(4).fill('sqlite:usr/lib/sysimage/rpm')],
    );
  });

  it('fails the scan on a truncated BerkeleyDB file', async () => {
    const bdb = fixture('bdb-le-4096/Packages');
    await rejectsInvalid(scan([{ path: 'var/lib/rpm/Packages', content: bdb.subarray(0, bdb.length - 4096) }]), /bdb: page \d+ out of range/);
  });

  it('fails the scan on an rpmdb.sqlite that is not SQLite, or has no Packages table', async () => {
    await rejectsInvalid(scan([{ path: 'var/lib/rpm/rpmdb.sqlite', content: 'garbage' }]), /not an SQLite database/);
    const SQL = await initSqlJs();
    const db = new SQL.Database();
    db.run('CREATE TABLE Other (x INTEGER)');
    const bytes = Buffer.from(db.export());
    db.close();
    await rejectsInvalid(scan([{ path: 'var/lib/rpm/rpmdb.sqlite', content: bytes }]), /not an rpm database/);
  });

  it('fails the scan on a malformed header inside a valid database', async () => {
    const SQL = await initSqlJs();
    const db = new SQL.Database();
    db.run('CREATE TABLE Packages (hnum INTEGER PRIMARY KEY AUTOINCREMENT, blob BLOB NOT NULL)');
    db.run('INSERT INTO Packages (blob) VALUES (?)', [packageHeader({ name: 'ok', version: '1', release: '1' })]);
    db.run('INSERT INTO Packages (blob) VALUES (?)', [Buffer.from([0, 0, 0, 1, 0, 0, 0, 0])]);
    const bytes = Buffer.from(db.export());
    db.close();
    await rejectsInvalid(scan([{ path: 'var/lib/rpm/rpmdb.sqlite', content: bytes }]), /rpm header: not enough data/);
  });

  it('stops when the scan is aborted', async () => {
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    await assert.rejects(rpmPackageScanner.scan(memoryLayer([]), { signal: controller.signal }), /stop/);
  });
});

describe('rpm path set', () => {
  it('holds files owned by rpm packages that match claircore’s patterns', async () => {
    const layer = memoryLayer([{ path: 'var/lib/rpm/rpmdb.sqlite', content: fixture('sqlite/rpmdb.sqlite') }]);
    const set = await rpmPathSet(layer);
    assert.equal(set.has('usr/share/java/owned-1.0.jar'), true);
    // Executables match claircore's patterns only as absolute paths, which they never are.
    assert.equal(set.has('usr/bin/node'), false);
    assert.equal(set.size, 1);
    assert.equal(await rpmPathSet(layer), set, 'computed once per layer');
  });

  it('records the matching paths of synthetic headers', async () => {
    const db = buildNdb([
      packageHeader({ name: 'p', version: '1', release: '1', files: ['/usr/lib/python3.9/site-packages/x.egg-info/PKG-INFO', '/opt/a/b.war', '/etc/x.conf'] }),
    ]);
    const set = await rpmPathSet(memoryLayer([{ path: 'var/lib/rpm/Packages.db', content: db }]));
    assert.deepEqual([...(set as Set<string>)].sort(), ['opt/a/b.war', 'usr/lib/python3.9/site-packages/x.egg-info/PKG-INFO']);
  });
});
