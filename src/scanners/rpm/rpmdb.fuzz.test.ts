/**
 * Fuzzing the rpm database readers through the scanner: the real SQLite and
 * BerkeleyDB databases of testdata/, synthetic ndb files, and bare header
 * blobs, each at the path the scanner looks for.
 */
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fuzz } from '../../test-support/fuzz.js';
import { buildNdb, packageHeader, pgpV3Signature, pgpV4Signature } from '../../test-support/rpm-fixtures.js';
import { scanEntries } from '../../test-support/scan.js';
import { packageInfos, toPackages } from './database.js';
import { rpmPackageScanner } from './scanner.js';

const fixture = (p: string): Buffer => readFileSync(new URL(`./testdata/${p}`, import.meta.url));

const HEADERS = [
  packageHeader({
    name: 'openssl-libs',
    version: '3.0.7',
    release: '27.el9',
    epoch: 1,
    arch: 'x86_64',
    sourceRpm: 'openssl-3.0.7-27.el9.src.rpm',
    payloadDigest: '249b2e88bc4ba3a26c7695333adef53852402eaccad67d11370021748e5fefd2',
    payloadDigestAlgo: 8,
    sigPgp: pgpV3Signature('7eada7e40300e1bd'),
    rsaHeader: pgpV4Signature('7eada7e40300e1bd'),
    files: ['/usr/lib64/libssl.so.3', '/usr/lib64/libcrypto.so.3', '/etc/pki/tls/openssl.cnf'],
  }),
  packageHeader({
    name: 'nodejs',
    version: '18.14.2',
    release: '2.module_el8.7.0+1240+a0e6b3c8',
    arch: 'x86_64',
    modularityLabel: 'nodejs:18:8070020230306170042:ad008a3a',
    sourceRpm: 'nodejs-18.14.2-2.module_el8.7.0+1240+a0e6b3c8.src.rpm',
  }),
  packageHeader({ name: 'tzdata', version: '2023c', release: '1.el9', arch: 'noarch' }, { region: false }),
];

const scanDb = (path: string) => (input: Buffer) => scanEntries(rpmPackageScanner, [{ path, content: input }]);

describe('rpm databases: fuzz', () => {
  it('answers every mutated rpmdb.sqlite with packages or a clear error, never a crash or a hang', async () => {
    await fuzz({ seeds: [fixture('sqlite/rpmdb.sqlite')], parse: scanDb('var/lib/rpm/rpmdb.sqlite') });
  });

  it('answers every mutated BerkeleyDB Packages with packages or a clear error, never a crash or a hang', async () => {
    await fuzz({
      seeds: [fixture('bdb-be-512/Packages'), fixture('bdb-le-4096/Packages'), fixture('bdb-le-16384/Packages')],
      parse: scanDb('var/lib/rpm/Packages'),
    });
  });

  it('answers every mutated ndb Packages.db with packages or a clear error, never a crash or a hang', async () => {
    await fuzz({
      seeds: [buildNdb(HEADERS), buildNdb(HEADERS.slice(1), { slotPages: 2, indexes: [9, 4] })],
      parse: scanDb('usr/lib/sysimage/rpm/Packages.db'),
    });
  });

  it('answers every mutated header blob with a package or a clear error, never a crash or a hang', async () => {
    await fuzz({ seeds: HEADERS, parse: (input) => toPackages(packageInfos([input]), 'bdb:var/lib/rpm') });
  });
});
