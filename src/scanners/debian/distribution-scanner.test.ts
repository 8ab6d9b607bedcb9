import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lines, scanEntries, scanFile } from '../../test-support/scan.js';
import { debianDistributionScanner as scanner } from './distribution-scanner.js';
import { debianRelease } from '../../model/releases.js';

function osRelease(version: number, codeName: string, extra: string[] = []): string {
  return lines(
    `PRETTY_NAME="Debian GNU/Linux ${version} (${codeName})"`,
    'NAME="Debian GNU/Linux"',
    `VERSION_ID="${version}"`,
    `VERSION="${version} (${codeName})"`,
    `VERSION_CODENAME=${codeName}`,
    ...extra,
    'ID=debian',
    'HOME_URL="https://www.debian.org/"',
    'SUPPORT_URL="https://www.debian.org/support"',
    'BUG_REPORT_URL="https://bugs.debian.org/"',
  );
}

describe('debian distribution scanner', () => {
  for (const [version, codeName] of [
    [9, 'stretch'],
    [10, 'buster'],
    [11, 'bullseye'],
    [12, 'bookworm'],
  ] as const) {
    it(`detects Debian ${version} (${codeName})`, async () => {
      assert.deepEqual(await scanFile(scanner, 'etc/os-release', osRelease(version, codeName)), [
        {
          did: 'debian',
          name: 'Debian GNU/Linux',
          version: `${version} (${codeName})`,
          versionCodeName: codeName,
          versionId: String(version),
          arch: '',
          cpe: '',
          prettyName: `Debian GNU/Linux ${version} (${codeName})`,
        },
      ]);
    });
  }

  it('detects Debian 13 (trixie), whose file also carries DEBIAN_VERSION_FULL', async () => {
    const text = osRelease(13, 'trixie', ['DEBIAN_VERSION_FULL=13.1']);
    assert.deepEqual(await scanFile(scanner, 'etc/os-release', text), [debianRelease('trixie', 13)]);
    assert.equal(debianRelease('trixie', 13).prettyName, 'Debian GNU/Linux 13 (trixie)');
  });

  it('takes the code name from VERSION when VERSION_CODENAME is absent (early stretch images)', async () => {
    const text = lines(
      'PRETTY_NAME="Debian GNU/Linux 9 (stretch)"',
      'NAME="Debian GNU/Linux"',
      'VERSION_ID="9"',
      'VERSION="9 (stretch)"',
      'ID=debian',
      'HOME_URL="https://www.debian.org/"',
    );
    assert.deepEqual(await scanFile(scanner, 'etc/os-release', text), [debianRelease('stretch', 9)]);
  });

  it('recognises distroless images and normalises their names', async () => {
    const text = lines(
      'PRETTY_NAME="Distroless"',
      'NAME="Debian GNU/Linux"',
      'ID="debian"',
      'VERSION_ID="12"',
      'VERSION="Debian GNU/Linux 12 (bookworm)"',
      'HOME_URL="https://github.com/GoogleContainerTools/distroless"',
      'SUPPORT_URL="https://github.com/GoogleContainerTools/distroless/blob/master/README.md"',
      'BUG_REPORT_URL="https://github.com/GoogleContainerTools/distroless/issues/new"',
    );
    assert.deepEqual(await scanFile(scanner, 'etc/os-release', text), [debianRelease('bookworm', 12)]);
  });

  it('reads usr/lib/os-release when etc/os-release is absent, and follows the usual symlink', async () => {
    assert.deepEqual(await scanFile(scanner, 'usr/lib/os-release', osRelease(11, 'bullseye')), [debianRelease('bullseye', 11)]);
    const linked = await scanEntries(scanner, [
      { path: 'usr/lib/os-release', content: osRelease(12, 'bookworm') },
      { path: 'etc/os-release', type: 'symlink', target: '../usr/lib/os-release' },
    ]);
    assert.deepEqual(linked, [debianRelease('bookworm', 12)]);
  });

  it('finds nothing for sid, other distributions, malformed files and empty layers', async () => {
    const sid = lines('PRETTY_NAME="Debian GNU/Linux trixie/sid"', 'NAME="Debian GNU/Linux"', 'VERSION_CODENAME=trixie', 'ID=debian');
    assert.deepEqual(await scanFile(scanner, 'etc/os-release', sid), []);
    assert.deepEqual(await scanFile(scanner, 'etc/os-release', lines('NAME="Ubuntu"', 'ID=ubuntu', 'ID_LIKE=debian', 'VERSION_ID="22.04"', 'VERSION_CODENAME=jammy')), []);
    assert.deepEqual(await scanFile(scanner, 'etc/os-release', `${osRelease(12, 'bookworm')}not a pair\n`), []);
    assert.deepEqual(await scanEntries(scanner, []), []);
  });

  it('reads the code name from VERSION in linear time, whatever its parentheses', async () => {
    const text = (version: string) => lines('ID=debian', 'VERSION_ID="9"', `VERSION="${version}"`);
    assert.deepEqual(await scanFile(scanner, 'etc/os-release', text('9 ((stretch) (x))')), [debianRelease('(stretch', 9)]);
    assert.deepEqual(await scanFile(scanner, 'etc/os-release', text('9 (stretch')), [debianRelease('stretch', 9)]);
    // Found by fuzzing os-release: a regexp search for "(…)" took minutes on a 1 MiB VERSION of "(" alone.
    const started = performance.now();
    assert.deepEqual(await scanFile(scanner, 'etc/os-release', text('('.repeat(1_000_000))), []);
    assert.ok(performance.now() - started < 2_000, `took ${performance.now() - started} ms`);
  });

  it('stops when the scan is cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(scanEntries(scanner, [], { signal: controller.signal }), { name: 'AbortError' });
  });
});
