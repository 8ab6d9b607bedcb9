import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { isClairError } from '../../lib/errors.js';
import type { VulnerabilityRecord } from '../../model/vulnerability-record.js';
import { alpineFromOsRelease } from '../../scanners/alpine/distribution-scanner.js';
import { collect, startFeedServer, type FeedServer } from '../../test-support/feed-server.js';
import { alpineUpdater } from './factory.js';
import { updaterContext } from '../../test-support/updater-context.js';

const testdata = (name: string): string => fileURLToPath(new URL(`testdata/${name}`, import.meta.url));
const V3_17 = { kind: 'stable', major: 3, minor: 17 } as const;

/** What the Alpine scanner reports for an Alpine 3.17.3 image. */
const SCANNED_3_17 = alpineFromOsRelease(new Map([['ID', 'alpine'], ['NAME', 'Alpine Linux'], ['VERSION_ID', '3.17.3'], ['PRETTY_NAME', 'Alpine Linux v3.17']]));

const record = (pkg: string, name: string, fixed: string): VulnerabilityRecord => ({
  updater: 'alpine-main-v3.17-updater',
  name,
  description: '',
  links: `https://security.alpinelinux.org/vuln/${name}`,
  severity: '',
  normalizedSeverity: 'Unknown',
  package: { name: pkg, version: '', module: '', arch: '', kind: 'source' },
  distribution: { did: 'alpine', name: 'Alpine Linux', version: '3.17', versionCodeName: '', versionId: '', arch: '', cpe: '', prettyName: 'Alpine Linux v3.17' },
  fixedInVersion: fixed,
  archOp: '',
});

describe('alpine secdb updater', async () => {
  let server: FeedServer;
  const ctx = await updaterContext();
  before(async () => {
    server = await startFeedServer({ '/v3.17/main.json': { body: { file: testdata('v3.17-main.json') }, contentType: 'application/json' } });
  });
  after(async () => {
    await server.close();
    await ctx.cleanup();
  });

  it('is named and located as claircore names it', () => {
    const u = alpineUpdater(server.url, V3_17, 'main');
    assert.equal(u.name, 'alpine-main-v3.17-updater');
    assert.equal(u.url, `${server.url}v3.17/main.json`);
    assert.equal(alpineUpdater(server.url, { kind: 'edge' }, 'community').name, 'alpine-community-edge-updater');
  });

  it('fetches with the ETag as fingerprint and parses one record per (package, fixed version, id)', async () => {
    const u = alpineUpdater(server.url, V3_17, 'main');
    const fetched = await u.fetch(ctx, undefined);
    assert.equal(fetched.unchanged, false);
    assert.match(fetched.unchanged ? '' : fetched.fingerprint, /^"[0-9a-f]{16}"$/);
    assert.deepEqual(await collect(u.parse(ctx)), [
      record('openssl', 'CVE-2022-3358', '0'),
      record('openssl', 'CVE-2022-3602', '3.0.7-r0'),
      record('openssl', 'CVE-2022-3786', '3.0.7-r0'),
      record('openssl', 'CVE-2018-0734', '1.1.1a-r0'),
      // claircore keeps an annotated id verbatim, link included.
      { ...record('xen', 'CVE-2022-33745 XSA-403', '4.16.2-r0'), aliases: [{ space: 'CVE', name: '2022-33745' }, { space: 'XSA', name: '403' }] },
    ]);
  });

  it('emits the distribution the Alpine scanner reports for the same release', async () => {
    const u = alpineUpdater(server.url, V3_17, 'main');
    await u.fetch(ctx, undefined);
    const [first] = await collect(u.parse(ctx));
    assert.deepEqual(first?.distribution, SCANNED_3_17);
  });

  it('is unchanged when the ETag still holds, and changes when upstream does', async () => {
    const u = alpineUpdater(server.url, V3_17, 'main');
    const first = await u.fetch(ctx, undefined);
    assert.ok(!first.unchanged);
    assert.deepEqual(await u.fetch(ctx, first.fingerprint), { unchanged: true });
    assert.equal(server.requests.at(-1)?.headers['if-none-match'], first.fingerprint);

    server.routes.set('/v3.17/main.json', { body: readFileSync(testdata('v3.17-main.json'), 'utf8').replace('3.0.7-r0', '3.0.7-r1') });
    const changed = await u.fetch(ctx, first.fingerprint);
    assert.ok(!changed.unchanged);
    assert.notEqual(changed.fingerprint, first.fingerprint);
    assert.ok((await collect(u.parse(ctx))).some((r) => r.fixedInVersion === '3.0.7-r1'));
  });

  it('treats a 200 carrying the previous ETag as unchanged (servers ignoring If-None-Match)', async () => {
    const s = await startFeedServer({ '/v3.17/main.json': { body: '{"packages":[]}', etag: null, headers: { etag: '"fixed"' } } });
    try {
      const u = alpineUpdater(s.url, V3_17, 'main');
      assert.deepEqual(await u.fetch(ctx, undefined), { unchanged: false, fingerprint: '"fixed"' });
      assert.deepEqual(await u.fetch(ctx, '"fixed"'), { unchanged: true });
    } finally {
      await s.close();
    }
  });

  it('falls back to a content hash when the server sends no ETag', async () => {
    const s = await startFeedServer({ '/v3.17/main.json': { body: '{"packages":[]}', etag: null } });
    try {
      const u = alpineUpdater(s.url, V3_17, 'main');
      const first = await u.fetch(ctx, undefined);
      assert.ok(!first.unchanged);
      assert.match(first.fingerprint, /^sha256:[0-9a-f]{64}$/);
      assert.deepEqual(await u.fetch(ctx, first.fingerprint), { unchanged: true });
      // A hash fingerprint is never sent as If-None-Match.
      assert.equal(s.requests.at(-1)?.headers['if-none-match'], undefined);
    } finally {
      await s.close();
    }
  });

  it('fails with a catalogued error naming the URL and status on a 500', async () => {
    const s = await startFeedServer({ '/v3.17/main.json': { body: '{}', failFirst: [500] } });
    try {
      const u = alpineUpdater(s.url, V3_17, 'main');
      await assert.rejects(u.fetch(ctx, undefined), (err: unknown) => {
        assert.ok(isClairError(err, 'UPDATER_FETCH'));
        assert.equal(err.message, `alpine-main-v3.17-updater: unexpected status requesting ${s.url}v3.17/main.json: 500 Internal Server Error`);
        return true;
      });
    } finally {
      await s.close();
    }
  });

  it('rejects a body cut short instead of hanging', { timeout: 10_000 }, async () => {
    const body = readFileSync(testdata('v3.17-main.json'));
    const s = await startFeedServer({ '/v3.17/main.json': { body, truncateAt: 100 } });
    try {
      await assert.rejects(alpineUpdater(s.url, V3_17, 'main').fetch(ctx, undefined), (err: unknown) => isClairError(err, 'UPDATER_FETCH') && err.message.includes(`${s.url}v3.17/main.json`));
    } finally {
      await s.close();
    }
  });

  it('rejects a malformed feed at parse time with a catalogued parse error', async () => {
    const s = await startFeedServer({ '/v3.17/main.json': { body: '{"packages": [{"pkg": {"name": "x", "secfixes": {"1-r0": ["CVE-1"' } });
    try {
      const u = alpineUpdater(s.url, V3_17, 'main');
      assert.equal((await u.fetch(ctx, undefined)).unchanged, false);
      await assert.rejects(collect(u.parse(ctx)), (err: unknown) => isClairError(err, 'UPDATER_PARSE') && err.message.startsWith('alpine-main-v3.17-updater: malformed secdb'));
    } finally {
      await s.close();
    }
  });

  it('reports an unreachable server as a fetch error', async () => {
    const s = await startFeedServer();
    const url = s.url;
    await s.close();
    await assert.rejects(alpineUpdater(url, V3_17, 'main').fetch(ctx, undefined), (err: unknown) => isClairError(err, 'UPDATER_FETCH') && err.message.includes(`${url}v3.17/main.json`));
  });
});
