import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isClairError } from '../../lib/errors.js';
import type { VulnerabilityRecord } from '../../model/index.js';
import { collect, startFeedServer, type FeedServer } from '../../test-support/feed-server.js';
import { testContext } from '../../test-support/dpkg-feeds.js';
import { UbuntuUpdater } from './index.js';
import { DOWNLOAD_FILE } from './updater.js';

const TESTDATA = fileURLToPath(new URL('./testdata/', import.meta.url));
const JAMMY_XML = join(TESTDATA, 'com.ubuntu.jammy.cve.oval.xml');
const JAMMY_BZ2 = `${JAMMY_XML}.bz2`;

const jammy = { did: 'ubuntu', name: 'Ubuntu', version: '22.04 (Jammy)', versionCodeName: 'jammy', versionId: '22.04', arch: '', cpe: '', prettyName: 'Ubuntu 22.04' };

function rec(title: string, description: string, links: string, severity: VulnerabilityRecord['normalizedSeverity'], pkg: string, fixed: string): VulnerabilityRecord {
  return {
    updater: 'ubuntu/updater/jammy',
    name: title,
    description,
    links,
    severity,
    normalizedSeverity: severity,
    distribution: jammy,
    package: { name: pkg, version: '', module: '', arch: '', kind: 'binary' },
    fixedInVersion: fixed,
    archOp: '',
  };
}

const CURL = ['CVE-2023-38545 on Ubuntu 22.04 LTS (jammy) - high', 'This flaw makes curl overflow a heap based buffer in the SOCKS5 proxy handshake. When curl is asked to pass along the host name to the SOCKS5 proxy & the name is too long, it overflows.', 'https://ubuntu.com/security/CVE-2023-38545 https://curl.se/docs/CVE-2023-38545.html', 'High'] as const;
const MULTI = ['CVE-2024-0595 on Ubuntu 22.04 LTS (jammy) - low', 'Several issues were found in tar, openssl and vim.', 'https://ubuntu.com/security/CVE-2024-0595 https://launchpad.net/bugs/2050123 https://bugs.debian.org/1061200', 'Low'] as const;
const LESS = ['CVE-2022-12345 on Ubuntu 22.04 LTS (jammy) - negligible', 'A <crafted> message in less may loop.', 'https://ubuntu.com/security/CVE-2022-12345', 'Negligible'] as const;

/** Every record of testdata/com.ubuntu.jammy.cve.oval.xml, in document order (nested criteria first, as claircore walks them). */
const EXPECTED: VulnerabilityRecord[] = [
  ...['curl', 'libcurl3-gnutls', 'libcurl4'].map((p) => rec(...CURL, p, '0:7.81.0-1ubuntu1.14')),
  ...['libssl-dev', 'libssl3', 'openssl'].map((p) => rec(...MULTI, p, '0:3.0.2-0ubuntu1.15')),
  ...['vim', 'vim-tiny'].map((p) => rec(...MULTI, p, '')),
  rec(...MULTI, 'tar', '0:1.34+dfsg-1ubuntu0.1.22.04.2'),
  rec(...LESS, 'less', ''),
];

async function rejectsWith(p: Promise<unknown>, code: 'UPDATER_FETCH' | 'UPDATER_PARSE', message: RegExp): Promise<void> {
  await assert.rejects(p, (err: unknown) => {
    assert.ok(isClairError(err, code), `expected ${code}, got ${String(err)}`);
    assert.match((err as Error).message, message);
    return true;
  });
}

describe('ubuntu updater', { timeout: 60_000 }, () => {
  let s: FeedServer;
  let bz2: Buffer;
  const release = { codeName: 'jammy', versionId: '22.04' };
  const url = (): string => `${s.url}oval/com.ubuntu.jammy.cve.oval.xml.bz2`;

  before(async () => {
    bz2 = await readFile(JAMMY_BZ2);
    s = await startFeedServer({
      '/oval/com.ubuntu.jammy.cve.oval.xml.bz2': { body: bz2, contentType: 'application/x-bzip2', etag: '"jammy-1"', lastModified: new Date('2024-09-20T10:15:42Z') },
      '/oval/com.ubuntu.jammy.cve.oval.xml': { body: await readFile(JAMMY_XML), contentType: 'application/xml' },
    });
  });
  after(() => s.close());

  it('fetches the bzip2 OVAL and parses one exact binary-package record per definition and package', async () => {
    const ctx = await testContext();
    try {
      const u = new UbuntuUpdater(release, url());
      assert.equal(u.name, 'ubuntu/updater/jammy');
      assert.deepEqual(await u.fetch(ctx, undefined), { unchanged: false, fingerprint: '"jammy-1"' });
      assert.deepEqual(await collect(u.parse(ctx)), EXPECTED);
    } finally {
      await ctx.cleanup();
    }
  });

  it('parses an uncompressed OVAL document the same way', async () => {
    const ctx = await testContext();
    try {
      const u = new UbuntuUpdater(release, `${s.url}oval/com.ubuntu.jammy.cve.oval.xml`);
      await u.fetch(ctx, undefined);
      assert.deepEqual(await collect(u.parse(ctx)), EXPECTED);
    } finally {
      await ctx.cleanup();
    }
  });

  it('is unchanged on a 304 to If-None-Match, and takes the new ETag when upstream changes', async () => {
    const ctx = await testContext();
    const route = s.routes.get('/oval/com.ubuntu.jammy.cve.oval.xml.bz2')!;
    try {
      const u = new UbuntuUpdater(release, url());
      assert.deepEqual(await u.fetch(ctx, '"jammy-1"'), { unchanged: true });
      assert.equal(s.requests.at(-1)?.headers['if-none-match'], '"jammy-1"');
      route.etag = '"jammy-2"';
      assert.deepEqual(await u.fetch(ctx, '"jammy-1"'), { unchanged: false, fingerprint: '"jammy-2"' });
    } finally {
      route.etag = '"jammy-1"';
      await ctx.cleanup();
    }
  });

  it('rejects with a catalogued error naming the URL and status on a 500', async () => {
    const ctx = await testContext();
    try {
      s.routes.get('/oval/com.ubuntu.jammy.cve.oval.xml.bz2')!.failFirst = [500];
      await rejectsWith(new UbuntuUpdater(release, url()).fetch(ctx, undefined), 'UPDATER_FETCH', new RegExp(`ubuntu/updater/jammy: unexpected status requesting ${url().replace(/\./g, '\\.')}: 500`));
    } finally {
      await ctx.cleanup();
    }
  });

  it('rejects a download cut short, without hanging', async () => {
    const ctx = await testContext();
    const route = s.routes.get('/oval/com.ubuntu.jammy.cve.oval.xml.bz2')!;
    try {
      route.truncateAt = 1000;
      await rejectsWith(new UbuntuUpdater(release, url()).fetch(ctx, undefined), 'UPDATER_FETCH', /ubuntu\/updater\/jammy: (download of|error requesting) .*com\.ubuntu\.jammy\.cve\.oval\.xml\.bz2/);
    } finally {
      delete route.truncateAt;
      await ctx.cleanup();
    }
  });

  describe('parse of a bad download', () => {
    const parseOf = async (bytes: Buffer | string, message: RegExp): Promise<void> => {
      const ctx = await testContext();
      try {
        await writeFile(join(ctx.dir, DOWNLOAD_FILE), bytes);
        await rejectsWith(collect(new UbuntuUpdater(release, url()).parse(ctx)), 'UPDATER_PARSE', message);
      } finally {
        await ctx.cleanup();
      }
    };

    it('rejects a bzip2 stream cut short', async () => {
      await parseOf(bz2.subarray(0, Math.floor(bz2.length / 2)), /ubuntu\/updater\/jammy: oval\.download is not valid bzip2 data or is truncated/);
    });

    it('rejects malformed XML, naming the position', async () => {
      await parseOf('<oval_definitions><definitions><definition id="x"></oops></definitions></oval_definitions>', /ubuntu\/updater\/jammy: malformed XML in oval\.download: Unexpected close tag, Line: 0/);
    });

    it('rejects an XML document cut short', async () => {
      const xml = await readFile(JAMMY_XML);
      await parseOf(xml.subarray(0, Math.floor(xml.length * 0.6)), /ubuntu\/updater\/jammy: malformed XML in oval\.download: Unclosed root tag/);
    });

    it('rejects a run directory without the download', async () => {
      const ctx = await testContext();
      try {
        await rejectsWith(collect(new UbuntuUpdater(release, url()).parse(ctx)), 'UPDATER_PARSE', /ubuntu\/updater\/jammy: oval\.download unreadable/);
      } finally {
        await ctx.cleanup();
      }
    });

    it('rejects a document that is not XML', async () => {
      await parseOf('{"not": "xml"}', /ubuntu\/updater\/jammy: malformed XML in oval\.download: Non-whitespace before first tag/);
    });
  });
});
