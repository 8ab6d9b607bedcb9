import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isClairError } from '../../lib/errors.js';
import type { VulnerabilityRecord } from '../../model/index.js';
import { collect, startFeedServer, type FeedServer } from '../../test-support/feed-server.js';
import { quietLogger } from '../../test-support/config.js';
import { testContext, treeRoutes } from '../../test-support/dpkg-feeds.js';
import { debianConfig, parseDebianUpdaterConfig } from './config.js';
import { debianSetFactory, DebianUpdater } from './index.js';
import { RELEASES_FILE, TRACKER_FILE } from './updater.js';

const TESTDATA = fileURLToPath(new URL('./testdata/', import.meta.url));
const TRACKER = join(TESTDATA, 'tracker.json');
const LAST_MODIFIED = new Date('2024-09-20T08:00:00Z');

/** The record the updater must build, with the Debian scanner's distribution for `codeName`. */
function expected(source: string, cve: string, codeName: string, fixed: string, urgency: string, normalized: VulnerabilityRecord['normalizedSeverity'], description: string): VulnerabilityRecord {
  const versionId = { stretch: 9, buster: 10, bullseye: 11, bookworm: 12, trixie: 13 }[codeName]!;
  return {
    updater: 'debian/updater',
    name: cve,
    description,
    links: `https://security-tracker.debian.org/tracker/${cve}`,
    severity: urgency,
    normalizedSeverity: normalized,
    package: { name: source, version: '', module: '', arch: '', kind: 'source' },
    distribution: {
      did: 'debian',
      name: 'Debian GNU/Linux',
      version: `${versionId} (${codeName})`,
      versionCodeName: codeName,
      versionId: String(versionId),
      arch: '',
      cpe: '',
      prettyName: `Debian GNU/Linux ${versionId} (${codeName})`,
    },
    fixedInVersion: fixed,
    archOp: '',
  };
}

const CURL = 'This flaw makes curl overflow a heap based buffer in the SOCKS5 proxy handshake.';
const PKCS12 = 'Issue summary: Processing a maliciously formatted PKCS12 file may lead OpenSSL to crash leading to a potential Denial of Service attack';
const DH = 'Issue summary: Generating excessively long X9.42 DH keys or checking excessively long X9.42 DH keys or parameters may be very slow.';
const GLOB = 'The glob implementation in the GNU C Library allows remote authenticated users to cause a denial of service via crafted glob expressions.';
const NFT = "A use-after-free vulnerability in the Linux kernel's netfilter: nf_tables component can be exploited to achieve local privilege escalation.";

/** Every record testdata/tracker.json yields for the numbered releases (sid is not one), in document order. */
const EXPECTED: VulnerabilityRecord[] = [
  expected('curl', 'CVE-2023-38545', 'bookworm', '7.88.1-10+deb12u4', 'high', 'Critical', CURL),
  expected('curl', 'CVE-2023-38545', 'bullseye', '0', 'unimportant', 'Low', CURL),
  expected('openssl', 'CVE-2024-0727', 'bookworm', '3.0.13-1~deb12u1', 'low', 'Medium', PKCS12),
  expected('openssl', 'CVE-2024-0727', 'bullseye', '1.1.1w-0+deb11u2', 'low', 'Medium', PKCS12),
  expected('openssl', 'CVE-2024-0727', 'buster', '', 'low', 'Medium', PKCS12),
  expected('openssl', 'CVE-2024-0727', 'trixie', '3.1.5-1', 'low', 'Medium', PKCS12),
  expected('openssl', 'CVE-2023-5678', 'bookworm', '', 'medium', 'High', DH),
  expected('openssl', 'CVE-2023-5678', 'stretch', '', 'low*', 'Unknown', DH),
  expected('glibc', 'CVE-2010-4756', 'bookworm', '', 'unimportant', 'Low', GLOB),
  expected('glibc', 'TEMP-0000000-4AB5F2', 'bullseye', '', 'not yet assigned', 'Unknown', ''),
  expected('linux', 'CVE-2024-1086', 'bookworm', '6.1.76-1', 'HIGH', 'Critical', NFT),
  expected('linux', 'CVE-2024-1086', 'buster', '', 'end-of-life', 'Unknown', NFT),
];

/** A mirror root (testdata/mirror: `debian/dists/…`) and the tracker, on one loopback server. */
async function server(): Promise<FeedServer> {
  return startFeedServer({
    ...(await treeRoutes(join(TESTDATA, 'mirror'), '/')),
    '/tracker/data/json': { body: await readFile(TRACKER), contentType: 'application/json', lastModified: LAST_MODIFIED },
  });
}

/** The updater as a Clair config builds it: `mirror_url` is the mirror root. */
function updaterFor(s: FeedServer, extra: Record<string, unknown> = {}): DebianUpdater {
  return new DebianUpdater(debianConfig({ mirror_url: s.url, json_url: `${s.url}tracker/data/json`, ...extra }));
}

async function rejectsWith(p: Promise<unknown>, code: 'UPDATER_FETCH' | 'UPDATER_PARSE', message: RegExp): Promise<void> {
  await assert.rejects(p, (err: unknown) => {
    assert.ok(isClairError(err, code), `expected ${code}, got ${String(err)}`);
    assert.match((err as Error).message, message);
    return true;
  });
}

describe('debian updater', { timeout: 60_000 }, () => {
  let s: FeedServer;
  before(async () => {
    s = await server();
  });
  after(() => s.close());

  it('builds one updater named debian/updater from the debian set', async () => {
    const updaters = await debianSetFactory.create({ http: { fetch: () => Promise.reject(new Error('no network')) }, signal: AbortSignal.timeout(1000), log: quietLogger(), config: undefined });
    assert.equal(debianSetFactory.name, 'debian');
    assert.deepEqual(updaters.map((u) => u.name), ['debian/updater']);
  });

  it('fetches the tracker and the numbered releases, then parses exact source-package records', async () => {
    const ctx = await testContext();
    try {
      const u = updaterFor(s);
      const got = await u.fetch(ctx, undefined);
      assert.deepEqual(got, { unchanged: false, fingerprint: LAST_MODIFIED.toUTCString() });
      // The built-in table (wheezy … trixie), plus what the mirror numbers: forky, newer than
      // the table. trixie's Release has no Version, `current` aliases bookworm, wheezy has none.
      assert.deepEqual(JSON.parse(await readFile(join(ctx.dir, RELEASES_FILE), 'utf8')), {
        releases: [
          { codeName: 'wheezy', versionId: 7 },
          { codeName: 'jessie', versionId: 8 },
          { codeName: 'stretch', versionId: 9 },
          { codeName: 'buster', versionId: 10 },
          { codeName: 'bullseye', versionId: 11 },
          { codeName: 'bookworm', versionId: 12 },
          { codeName: 'trixie', versionId: 13 },
          { codeName: 'forky', versionId: 14 },
        ],
      });
      assert.deepEqual(await collect(u.parse(ctx)), EXPECTED);
    } finally {
      await ctx.cleanup();
    }
  });

  it('reads Release files with a 512-byte range and never asks for suites or aliases', async () => {
    const ctx = await testContext();
    try {
      s.requests.length = 0;
      await updaterFor(s).fetch(ctx, undefined);
      const releases = s.requests.filter((r) => r.path.endsWith('/Release'));
      assert.ok(releases.length > 0);
      for (const r of releases) assert.equal(r.headers.range, 'bytes=0-512');
      const asked = releases.map((r) => r.path).sort();
      assert.deepEqual(asked, [
        '/debian/dists/bookworm/Release',
        '/debian/dists/bullseye/Release',
        '/debian/dists/current/Release',
        '/debian/dists/forky/Release',
        '/debian/dists/trixie/Release',
        '/debian/dists/wheezy/Release',
      ]);
      assert.equal(s.requests.filter((r) => r.path === '/debian/dists/').length, 1, 'the listing is read once, under the mirror root');
      assert.equal(s.requests.some((r) => r.path.startsWith('/archive')), false, 'no archive.debian.org-style source is read');
    } finally {
      await ctx.cleanup();
    }
  });

  it('is unchanged when the server answers 304 to If-Modified-Since, and changes with Last-Modified', async () => {
    const ctx = await testContext();
    try {
      const u = updaterFor(s);
      const first = await u.fetch(ctx, undefined);
      assert.equal(first.unchanged, false);
      const fp = (first as { fingerprint: string }).fingerprint;
      s.requests.length = 0;
      assert.deepEqual(await u.fetch(ctx, fp), { unchanged: true });
      const json = s.requests.filter((r) => r.path === '/tracker/data/json');
      assert.equal(json[0]?.headers['if-modified-since'], fp);
      assert.equal(s.requests.some((r) => r.path.includes('/dists/')), false, 'no release discovery when unchanged');

      const route = s.routes.get('/tracker/data/json')!;
      const previous = route.lastModified;
      route.lastModified = new Date('2024-09-21T08:00:00Z');
      try {
        assert.deepEqual(await u.fetch(ctx, fp), { unchanged: false, fingerprint: 'Sat, 21 Sep 2024 08:00:00 GMT' });
      } finally {
        route.lastModified = previous!;
      }
    } finally {
      await ctx.cleanup();
    }
  });

  it('falls back to the ETag, then to a body digest, when Last-Modified is missing', async () => {
    const body = await readFile(TRACKER);
    const t = await startFeedServer({
      ...(await treeRoutes(join(TESTDATA, 'mirror'), '/')),
      '/etag': { body, etag: '"v1"' },
      '/none': { body, etag: null },
    });
    const ctx = await testContext();
    try {
      const byEtag = new DebianUpdater(debianConfig({ mirror_url: t.url, json_url: `${t.url}etag` }));
      assert.deepEqual(await byEtag.fetch(ctx, undefined), { unchanged: false, fingerprint: '"v1"' });
      assert.deepEqual(await byEtag.fetch(ctx, '"v1"'), { unchanged: true });
      assert.equal(t.requests.at(-1)?.headers['if-none-match'], '"v1"');

      const byDigest = new DebianUpdater(debianConfig({ mirror_url: t.url, json_url: `${t.url}none` }));
      const first = await byDigest.fetch(ctx, undefined);
      assert.match((first as { fingerprint: string }).fingerprint, /^sha256:[0-9a-f]{64}$/);
      assert.deepEqual(await byDigest.fetch(ctx, (first as { fingerprint: string }).fingerprint), { unchanged: true });
      t.routes.get('/none')!.body = Buffer.concat([body, Buffer.from('\n')]);
      const changed = await byDigest.fetch(ctx, (first as { fingerprint: string }).fingerprint);
      assert.equal(changed.unchanged, false);
      assert.notEqual((changed as { fingerprint: string }).fingerprint, (first as { fingerprint: string }).fingerprint);
    } finally {
      await ctx.cleanup();
      await t.close();
    }
  });

  it('rejects with a catalogued error naming the URL and status when the tracker answers 500', async () => {
    const ctx = await testContext();
    try {
      s.routes.get('/tracker/data/json')!.failFirst = [500];
      await rejectsWith(updaterFor(s).fetch(ctx, undefined), 'UPDATER_FETCH', new RegExp(`debian: unexpected status requesting ${s.url}tracker/data/json: 500`));
    } finally {
      await ctx.cleanup();
    }
  });

  for (const [what, route] of [
    ['answers 500', { body: 'unused', failFirst: [500] }],
    ['is cut short', { body: 'x'.repeat(4096), truncateAt: 100 }],
  ] as const) {
    it(`keeps the update when the mirror listing ${what}: a warning, and the built-in releases`, async () => {
      const ctx = await testContext();
      const warnings: Array<Record<string, unknown>> = [];
      const original = s.routes.get('/debian/dists/')!;
      s.routes.set('/debian/dists/', { ...route, failFirst: 'failFirst' in route ? [...route.failFirst] : [] });
      try {
        ctx.log = Object.assign(quietLogger(), { warn: (o: Record<string, unknown>, msg: string) => void warnings.push({ ...o, msg }) });
        const got = await updaterFor(s).fetch(ctx, undefined);
        assert.equal(got.unchanged, false);
        assert.deepEqual(JSON.parse(await readFile(join(ctx.dir, RELEASES_FILE), 'utf8')).releases.map((r: { codeName: string }) => r.codeName), ['wheezy', 'jessie', 'stretch', 'buster', 'bullseye', 'bookworm', 'trixie']);
        assert.deepEqual(await collect(updaterFor(s).parse(ctx)), EXPECTED);
        assert.deepEqual(warnings.map((w) => [w.msg, w.url]), [['debian mirror listing failed; using the built-in release table', `${s.url}debian/dists/`]]);
      } finally {
        s.routes.set('/debian/dists/', original);
        await ctx.cleanup();
      }
    });
  }

  it('keeps the update when the mirror is unreachable', async () => {
    const ctx = await testContext();
    try {
      const u = new DebianUpdater(debianConfig({ mirror_url: 'http://127.0.0.1:1/', json_url: `${s.url}tracker/data/json` }));
      assert.deepEqual(await u.fetch(ctx, undefined), { unchanged: false, fingerprint: LAST_MODIFIED.toUTCString() });
      assert.deepEqual(await collect(u.parse(ctx)), EXPECTED);
    } finally {
      await ctx.cleanup();
    }
  });

  it('skips a Release that answers oddly, keeping the others', async () => {
    const ctx = await testContext();
    const route = s.routes.get('/debian/dists/forky/Release')!;
    try {
      route.failFirst = [503];
      await updaterFor(s).fetch(ctx, undefined);
      const names = JSON.parse(await readFile(join(ctx.dir, RELEASES_FILE), 'utf8')).releases.map((r: { codeName: string }) => r.codeName);
      assert.deepEqual(names, ['wheezy', 'jessie', 'stretch', 'buster', 'bullseye', 'bookworm', 'trixie'], 'forky (503) is skipped; the rest stand');
    } finally {
      route.failFirst = [];
      await ctx.cleanup();
    }
  });

  it('takes json_url from updaters.config.debian/updater, and refuses url or dists_url there', async () => {
    const ctx = await testContext();
    try {
      const u = updaterFor(s, { json_url: 'http://127.0.0.1:1/unused' });
      assert.deepEqual(u.configure({ json_url: `${s.url}tracker/data/json`, dists_urls: [] }), [
        { path: 'updaters.config.debian/updater.dists_urls', message: 'unused (claircore ignores it too); releases come from the mirror_url of updaters.config.debian' },
      ]);
      s.requests.length = 0;
      await u.fetch(ctx, undefined);
      assert.equal(s.requests[0]?.path, '/tracker/data/json');
      assert.throws(() => u.configure({ url: 'https://x/' }), /^ClairError: config: updaters\.config\.debian\/updater\.url: neither url nor dists_url should be used anymore; use json_url instead$/);
      assert.throws(() => u.configure({ dists_url: 'https://x/' }), /updaters\.config\.debian\/updater\.dists_url: neither url nor dists_url/);
      assert.throws(() => parseDebianUpdaterConfig({ dists_urls: 'x' }), /updaters\.config\.debian\/updater\.dists_urls: must be a list, got string/);
      assert.deepEqual(u.configure({}), []);
      assert.equal(u.jsonUrl, 'http://127.0.0.1:1/unused', 'an empty block leaves the set\'s json_url');
    } finally {
      await ctx.cleanup();
    }
  });

  it('rejects a tracker download cut short, without hanging', async () => {
    const ctx = await testContext();
    const route = s.routes.get('/tracker/data/json')!;
    try {
      route.truncateAt = 1000;
      await rejectsWith(updaterFor(s).fetch(ctx, undefined), 'UPDATER_FETCH', /debian: (download of|error requesting) .*tracker\/data\/json/);
    } finally {
      delete route.truncateAt;
      await ctx.cleanup();
    }
  });

  it('uses the built-in releases when the mirror numbers none', async () => {
    const t = await startFeedServer({
      '/debian/dists/': { body: '<a href="sid/">sid/</a> <a href="trixie/">trixie/</a>' },
      '/debian/dists/trixie/Release': { body: 'Suite: testing\nCodename: trixie\n' },
      '/json': { body: '{"pkg": {"CVE-1": {"releases": {"buster": {"status": "open", "urgency": "low"}}}}}' },
    });
    const ctx = await testContext();
    try {
      const u = new DebianUpdater(debianConfig({ mirror_url: t.url, json_url: `${t.url}json` }));
      assert.equal((await u.fetch(ctx, undefined)).unchanged, false);
      assert.deepEqual((await collect(u.parse(ctx))).map((r) => [r.name, r.distribution?.versionCodeName, r.distribution?.versionId]), [['CVE-1', 'buster', '10']]);
    } finally {
      await ctx.cleanup();
      await t.close();
    }
  });

  describe('parse of a bad tracker file', () => {
    const cases: Array<[string, string]> = [
      ['invalid JSON', '{"curl": {"CVE-1": {"releases": {"bookworm": {"status": "open",, }}}}}'],
      ['a document cut short', '{"curl": {"CVE-2023-38545": {"releases": {"bookworm": {"status": "resolved", "fixed_version": "7.88'],
      ['a top level that is not an object', '[{"curl": {}}]'],
    ];
    for (const [what, text] of cases) {
      it(`rejects ${what} with UPDATER_PARSE`, async () => {
        const ctx = await testContext();
        try {
          await writeFile(join(ctx.dir, RELEASES_FILE), JSON.stringify({ releases: [{ codeName: 'bookworm', versionId: 12 }] }));
          await writeFile(join(ctx.dir, TRACKER_FILE), text);
          await rejectsWith(collect(new DebianUpdater(debianConfig({})).parse(ctx)), 'UPDATER_PARSE', /debian: malformed tracker JSON/);
        } finally {
          await ctx.cleanup();
        }
      });
    }

    it('rejects a missing release list with UPDATER_PARSE', async () => {
      const ctx = await testContext();
      try {
        await writeFile(join(ctx.dir, TRACKER_FILE), '{}');
        await rejectsWith(collect(new DebianUpdater(debianConfig({})).parse(ctx)), 'UPDATER_PARSE', /debian: release list .* unreadable/);
      } finally {
        await ctx.cleanup();
      }
    });
  });
});
