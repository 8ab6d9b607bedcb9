import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ScannedPackage } from '../../model/scanned.js';
import { isClairError } from '../../lib/errors.js';
import { memoryLayer, type MemoryEntrySpec } from '../../test-support/memory-layer-fs.js';
import { contentManifest, dnf4History, dnf5History, type DnfTransaction } from '../../test-support/rhel-fixtures.js';
import { buildNdb, packageHeader, type PackageFields } from '../../test-support/rpm-fixtures.js';
import { rpmPackageScanner } from '../rpm/index.js';
import { addRepoid, RHEL_PACKAGE_SCANNER_KIND, RHEL_PACKAGE_SCANNER_NAME, RHEL_PACKAGE_SCANNER_VERSION, rhelPackageScanner } from './package-scanner.js';

const BASEOS = 'rhel-9-for-x86_64-baseos-rpms';
const APPSTREAM = 'rhel-9-for-x86_64-appstream-rpms';
const digest = (c: string): string => c.repeat(64);
const hash = (c: string): string => `hash=sha256%3A${digest(c)}`;

const RPMS: PackageFields[] = [
  { name: 'bash', version: '5.1.8', release: '6.el9_1', arch: 'x86_64', sourceRpm: 'bash-5.1.8-6.el9_1.src.rpm', payloadDigest: digest('1'), payloadDigestAlgo: 8 },
  { name: 'openssl-libs', epoch: 1, version: '3.0.7', release: '27.el9', arch: 'x86_64', sourceRpm: 'openssl-3.0.7-27.el9.src.rpm', payloadDigest: digest('2'), payloadDigestAlgo: 8 },
  { name: 'openssl-devel', epoch: 1, version: '3.0.7', release: '27.el9', arch: 'x86_64', sourceRpm: 'openssl-3.0.7-27.el9.src.rpm', payloadDigest: digest('3'), payloadDigestAlgo: 8 },
  { name: 'nginx', epoch: 1, version: '1.20.1', release: '14.el9_2.1', arch: 'x86_64', sourceRpm: 'nginx-1.20.1-14.el9_2.1.src.rpm', payloadDigest: digest('4'), payloadDigestAlgo: 8 },
  { name: 'nginx-filesystem', epoch: 1, version: '1.20.1', release: '14.el9_2.1', arch: 'noarch', sourceRpm: 'nginx-1.20.1-14.el9_2.1.src.rpm', payloadDigest: digest('5'), payloadDigestAlgo: 8 },
];

const HISTORY: DnfTransaction[] = [
  {
    cmdline: 'dnf -y install nginx openssl-devel',
    items: [
      { rpm: { name: 'nginx', epoch: 1, version: '1.20.1', release: '14.el9_2.1', arch: 'x86_64' }, repoid: APPSTREAM, action: 'install' },
      { rpm: { name: 'nginx-filesystem', epoch: 1, version: '1.20.1', release: '14.el9_2.1', arch: 'noarch' }, repoid: APPSTREAM, action: 'install' },
      { rpm: { name: 'openssl-devel', epoch: 1, version: '3.0.7', release: '27.el9', arch: 'x86_64' }, repoid: APPSTREAM, action: 'install' },
      { rpm: { name: 'openssl-libs', epoch: 1, version: '3.0.7', release: '24.el9', arch: 'x86_64' }, repoid: BASEOS, action: 'upgraded' },
      { rpm: { name: 'openssl-libs', epoch: 1, version: '3.0.7', release: '27.el9', arch: 'x86_64' }, repoid: BASEOS, action: 'upgrade' },
    ],
  },
];

const rpmdb: MemoryEntrySpec = { path: 'usr/lib/sysimage/rpm/Packages.db', content: buildNdb(RPMS.map((f) => packageHeader(f))) };

/** name → [hint, source hint] */
const hints = (pkgs: ScannedPackage[]): Record<string, [string, string | undefined]> => Object.fromEntries(pkgs.map((p) => [p.name, [p.repositoryHint, p.source?.repositoryHint]]));

describe('rhel-package-scanner', () => {
  it('has claircore identity', () => {
    assert.deepEqual([rhelPackageScanner.name, rhelPackageScanner.version, rhelPackageScanner.kind], ['rhel-package-scanner', '1', 'package']);
    assert.deepEqual([RHEL_PACKAGE_SCANNER_NAME, RHEL_PACKAGE_SCANNER_VERSION, RHEL_PACKAGE_SCANNER_KIND], ['rhel-package-scanner', '1', 'package']);
  });

  it('adds the dnf repoid to the hints of the rpms dnf installed, and to their sources', async () => {
    const layer = memoryLayer([rpmdb, { path: 'var/lib/dnf/history.sqlite', content: await dnf4History(HISTORY, { wal: true }) }]);
    const pkgs = await rhelPackageScanner.scan(layer, {});
    assert.deepEqual(hints(pkgs), {
      // Not in this layer's history (it came with the base image): unchanged.
      bash: [hash('1'), ''],
      // openssl's source collects the repoids of both of its binaries, as claircore's shared source does.
      'openssl-libs': [`${hash('2')}&repoid=${BASEOS}`, `repoid=${APPSTREAM}&repoid=${BASEOS}`],
      'openssl-devel': [`${hash('3')}&repoid=${APPSTREAM}`, `repoid=${APPSTREAM}&repoid=${BASEOS}`],
      nginx: [`${hash('4')}&repoid=${APPSTREAM}`, `repoid=${APPSTREAM}`],
      'nginx-filesystem': [`${hash('5')}&repoid=${APPSTREAM}`, `repoid=${APPSTREAM}`],
    });
    // Everything else is the rpm scanner's output.
    const plain = await rpmPackageScanner.scan(memoryLayer([rpmdb]), {});
    const strip = (p: ScannedPackage) => ({ ...p, repositoryHint: '', source: p.source && { ...p.source, repositoryHint: '' } });
    assert.deepEqual(pkgs.map(strip), plain.map(strip));
  });

  it('reads dnf 5 histories too', async () => {
    const layer = memoryLayer([rpmdb, { path: 'usr/lib/sysimage/libdnf5/transaction_history.sqlite', content: await dnf5History(HISTORY) }]);
    assert.equal(hints(await rhelPackageScanner.scan(layer, {}))['nginx']![0], `${hash('4')}&repoid=${APPSTREAM}`);
  });

  it('leaves the hints alone when the content manifest does not defer to dnf', async () => {
    const history = { path: 'var/lib/dnf/history.sqlite', content: await dnf4History(HISTORY) };
    const manifest = (extra: Record<string, unknown>): MemoryEntrySpec => ({ path: 'root/buildinfo/content_manifests/app-1.0-1.json', content: contentManifest([APPSTREAM], extra) });
    const without = hints(await rhelPackageScanner.scan(memoryLayer([rpmdb, history, manifest({})]), {}));
    assert.equal(without['nginx']![0], hash('4'));
    const withHint = hints(await rhelPackageScanner.scan(memoryLayer([rpmdb, history, manifest({ from_dnf_hint: true })]), {}));
    assert.equal(withHint['nginx']![0], `${hash('4')}&repoid=${APPSTREAM}`);
  });

  it('is the rpm scanner when there is no dnf history', async () => {
    assert.deepEqual(await rhelPackageScanner.scan(memoryLayer([rpmdb]), {}), await rpmPackageScanner.scan(memoryLayer([rpmdb]), {}));
    assert.deepEqual(await rhelPackageScanner.scan(memoryLayer([{ path: 'etc/os-release', content: 'ID=rhel\n' }]), {}), []);
  });

  it('fails on a hint that is not a query string, and skips rpms whose NEVRA does not re-parse', async () => {
    const history = { path: 'var/lib/dnf/history.sqlite', repoids: [], repoidFor: () => APPSTREAM };
    const pkg = (over: Partial<ScannedPackage>): ScannedPackage => ({ name: 'nginx', version: '1:1.20.1-14.el9_2.1', kind: 'binary', arch: 'x86_64', module: '', cpe: '', packageDb: 'sqlite:var/lib/rpm', filepath: '', repositoryHint: '', ...over });
    assert.throws(() => addRepoid(pkg({ repositoryHint: 'hash=%zz' }), history), (err) => isClairError(err, 'SCANNER_FAILED'));
    const odd = pkg({ arch: 'armv7hl' });
    addRepoid(odd, history);
    assert.equal(odd.repositoryHint, '');
    const again = pkg({ repositoryHint: `repoid=${APPSTREAM}` });
    addRepoid(again, history);
    assert.equal(again.repositoryHint, `repoid=${APPSTREAM}`);
  });
});
