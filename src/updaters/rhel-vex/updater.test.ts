/**
 * The updater end to end against a loopback server laid out like
 * security.access.redhat.com/data/csaf/v2/vex/: fetch (conditional index
 * requests, archive, individual changes, deletions) then parse.
 */
import { after, afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHttpClient } from '../../lib/http-client.js';
import { isClairError } from '../../lib/errors.js';
import type { VulnerabilityRecord } from '../../model/index.js';
import { quietLogger } from '../../test-support/config.js';
import { setContext } from '../../test-support/updater-context.js';
import { collect, startFeedServer, type FeedRoute, type FeedServer } from '../../test-support/feed-server.js';
import { buildTar, zstdRaw } from '../../test-support/layer-builder.js';
import type { UpdaterContext } from '../updater.js';
import { RhelVexUpdater, rhelVexSetFactory } from './updater.js';
import { parseRhelVexConfig } from './config.js';

const RICH_DOC = readFileSync(new URL('./testdata/cve-2024-1000.json', import.meta.url), 'utf8');

/** A minimal CSAF VEX document: one rpm fixed in `release` for RHEL 9 BaseOS. */
function miniDoc(cve: string, release: string): string {
  const pkg = `libmini-0:1.0-${release}.x86_64`;
  return JSON.stringify({
    document: {
      category: 'csaf_vex',
      csaf_version: '2.0',
      references: [{ category: 'self', summary: 'Canonical URL', url: `https://security.access.redhat.com/data/csaf/v2/vex/${cve.slice(4, 8)}/${cve.toLowerCase()}.json` }],
      title: `libmini: ${cve}`,
      tracking: { id: cve, status: 'final', version: '1', initial_release_date: '2023-06-01T00:00:00+00:00', current_release_date: '2024-02-05T00:00:00+00:00' },
    },
    product_tree: {
      branches: [{
        category: 'vendor',
        name: 'Red Hat',
        branches: [
          { category: 'product_name', name: 'Red Hat Enterprise Linux BaseOS (v. 9)', product: { name: 'Red Hat Enterprise Linux BaseOS (v. 9)', product_id: 'BaseOS-9', product_identification_helper: { cpe: 'cpe:/o:redhat:enterprise_linux:9::baseos' } } },
          { category: 'product_version', name: pkg, product: { name: pkg, product_id: pkg, product_identification_helper: { purl: `pkg:rpm/redhat/libmini@1.0-${release}?arch=x86_64` } } },
        ],
      }],
      relationships: [{ category: 'default_component_of', full_product_name: { name: `${pkg} as a component of BaseOS`, product_id: `BaseOS-9:${pkg}` }, product_reference: pkg, relates_to_product_reference: 'BaseOS-9' }],
    },
    vulnerabilities: [{
      cve,
      notes: [{ category: 'description', text: `libmini flaw ${cve}.`, title: 'Vulnerability description' }],
      product_status: { fixed: [`BaseOS-9:${pkg}`] },
      references: [{ category: 'self', summary: 'Canonical URL', url: `https://access.redhat.com/security/cve/${cve}` }],
      release_date: '2023-06-01T00:00:00+00:00',
      scores: [{ cvss_v3: { baseScore: 5.5, vectorString: 'CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:N/I:N/A:H', version: '3.1' }, products: [`BaseOS-9:${pkg}`] }],
      threats: [{ category: 'impact', details: 'Moderate', product_ids: [`BaseOS-9:${pkg}`] }],
    }],
  });
}

const ARCHIVE_NAME = 'csaf_vex_2024-02-01.tar.zst';
const CUTOFF = new Date('2024-02-01T00:00:00Z');

function archive(extra: Array<{ path: string; content: string }> = []): Buffer {
  const tar = buildTar([
    { type: 'dir', path: '2014/' },
    { path: '2014/cve-2014-0001.json', content: miniDoc('CVE-2014-0001', '1.el9') },
    { type: 'dir', path: '2023/' },
    { path: '2023/cve-2023-2000.json', content: miniDoc('CVE-2023-2000', '1.el9') },
    { path: '2023/cve-2023-3000.json', content: miniDoc('CVE-2023-3000', '1.el9') },
    { path: './2024/cve-2024-1000.json', content: RICH_DOC },
    ...extra,
  ]);
  return zstdRaw(tar, { blockSize: 4096 });
}

function routes(overrides: Record<string, Partial<FeedRoute>> = {}): Record<string, FeedRoute> {
  const base: Record<string, FeedRoute> = {
    '/vex/archive_latest.txt': { body: `${ARCHIVE_NAME}\n` },
    [`/vex/${ARCHIVE_NAME}`]: { body: archive(), lastModified: CUTOFF },
    '/vex/changes.csv': {
      body: '"2024/cve-2024-1000.json","2024-01-20T00:00:00+00:00"\n"2023/cve-2023-2000.json","2024-02-05T00:00:00+00:00"\n"2014/cve-2014-0001.json","2024-02-05T00:00:00+00:00"\n',
      etag: '"c1"',
    },
    '/vex/deletions.csv': { body: '"2023/cve-2023-3000.json","2024-02-03T00:00:00+00:00"\n"2022/cve-2022-0001.json","2023-01-01T00:00:00+00:00"\n', etag: '"d1"' },
    '/vex/2023/cve-2023-2000.json': { body: miniDoc('CVE-2023-2000', '2.el9') },
  };
  for (const [path, o] of Object.entries(overrides)) base[path] = { ...base[path], ...o } as FeedRoute;
  return base;
}

const servers: FeedServer[] = [];
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});
after(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

async function setup(overrides: Record<string, Partial<FeedRoute>> = {}, config: Record<string, unknown> = {}) {
  const server = await startFeedServer(routes(overrides));
  servers.push(server);
  const updater = new RhelVexUpdater(parseRhelVexConfig({ url: `${server.url}vex`, ...config }).config);
  return { server, updater, context: newContext };
}

async function newContext(): Promise<UpdaterContext> {
  const dir = await mkdtemp(join(tmpdir(), 'rhel-vex-test-'));
  dirs.push(dir);
  return { dir, http: createHttpClient({ timeoutMs: 10_000 }), signal: new AbortController().signal, log: quietLogger() };
}

function byName(records: VulnerabilityRecord[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of records) out[r.name] = (out[r.name] ?? 0) + 1;
  return out;
}

describe('RhelVexUpdater', { timeout: 30_000 }, () => {
  it('builds the full set: archive documents, newer individual copies, minus deletions and old years', async () => {
    const { server, updater, context } = await setup();
    const ctx = await context();
    const fetched = await updater.fetch(ctx, undefined);
    assert.equal(fetched.unchanged, false);
    assert.ok(!fetched.unchanged);
    assert.match(fetched.fingerprint, /^"c1"\\"d1"\\\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z\\6$/);

    const records = await collect(updater.parse(ctx));
    assert.deepEqual(byName(records), { 'CVE-2024-1000': 9, 'CVE-2023-2000': 1 });
    const mini = records.find((r) => r.name === 'CVE-2023-2000')!;
    assert.deepEqual(mini, {
      updater: 'rhel-vex',
      name: 'CVE-2023-2000',
      description: 'libmini flaw CVE-2023-2000.',
      issued: new Date('2023-06-01T00:00:00Z'),
      links: 'https://access.redhat.com/security/cve/CVE-2023-2000 https://security.access.redhat.com/data/csaf/v2/vex/2023/cve-2023-2000.json#BaseOS-9:libmini-0:1.0-2.el9.x86_64',
      severity: 'CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:N/I:N/A:H',
      normalizedSeverity: 'Medium',
      package: { name: 'libmini', version: '', module: '', arch: 'amd64|x86_64', kind: 'binary' },
      repository: { name: 'cpe:2.3:o:redhat:enterprise_linux:9:*:baseos:*:*:*:*:*', key: 'rhel-cpe-repository', uri: '' },
      fixedInVersion: '0:1.0-2.el9', // the individual copy, not the archive's 1.el9
      archOp: 'pattern match',
      self: { space: 'https://access.redhat.com/security/cve/', name: 'CVE-2023-2000' },
      aliases: [{ space: 'CVE', name: '2023-2000' }],
    });
    const paths = server.requests.map((r) => r.path);
    assert.ok(paths.includes('/vex/2023/cve-2023-2000.json'));
    assert.ok(!paths.includes('/vex/2024/cve-2024-1000.json'), 'a change older than the archive is not fetched');
    assert.ok(!paths.includes('/vex/2014/cve-2014-0001.json'), 'documents before 2015 are not fetched');
  });

  it('reports unchanged when both index ETags still hold, and fetches in full otherwise', async () => {
    const { server, updater, context } = await setup();
    const first = await updater.fetch(await context(), undefined);
    assert.ok(!first.unchanged);

    server.requests.length = 0;
    assert.deepEqual(await updater.fetch(await context(), first.fingerprint), { unchanged: true });
    assert.deepEqual(server.requests.map((r) => [r.path, r.headers['if-none-match']]), [['/vex/changes.csv', '"c1"'], ['/vex/deletions.csv', '"d1"']]);

    // Only deletions.csv changed: changes.csv is fetched again without a condition, and the archive too.
    server.routes.get('/vex/deletions.csv')!.etag = '"d2"';
    server.requests.length = 0;
    const ctx = await context();
    const third = await updater.fetch(ctx, first.fingerprint);
    assert.ok(!third.unchanged);
    assert.match(third.fingerprint, /^"c1"\\"d2"\\/);
    assert.deepEqual(server.requests.filter((r) => r.path === '/vex/changes.csv').map((r) => r.headers['if-none-match']), ['"c1"', undefined]);
    assert.ok(server.requests.some((r) => r.path === `/vex/${ARCHIVE_NAME}`));
    assert.deepEqual(byName(await collect(updater.parse(ctx))), { 'CVE-2024-1000': 9, 'CVE-2023-2000': 1 });
  });

  it('runs in full when the previous fingerprint has another parser version or is not ours', async () => {
    const { server, updater, context } = await setup();
    const first = await updater.fetch(await context(), undefined);
    assert.ok(!first.unchanged);
    const otherVersion = first.fingerprint.replace(/\\6$/, '\\5');
    assert.equal((await updater.fetch(await context(), otherVersion)).unchanged, false);
    assert.equal((await updater.fetch(await context(), 'not-a-vex-fingerprint')).unchanged, false);
    const kernelOff = new RhelVexUpdater(parseRhelVexConfig({ url: `${server.url}vex`, ignore_kernel_packages: true }).config);
    const toggled = await kernelOff.fetch(await context(), first.fingerprint);
    assert.ok(!toggled.unchanged);
    assert.match(toggled.fingerprint, /\\6\+ignore_kernel$/);
  });

  it('falls back to the date in the archive name without Last-Modified', async () => {
    const { server, updater, context } = await setup();
    delete server.routes.get(`/vex/${ARCHIVE_NAME}`)!.lastModified;
    const ctx = await context();
    assert.equal((await updater.fetch(ctx, undefined)).unchanged, false);
    assert.deepEqual(byName(await collect(updater.parse(ctx))), { 'CVE-2024-1000': 9, 'CVE-2023-2000': 1 });
  });

  it('fails with CLAIR_ERR_UPDATER_FETCH on a server error, naming the URL', async () => {
    const { updater, context } = await setup({ '/vex/changes.csv': { failFirst: [500] } });
    await assert.rejects(updater.fetch(await context(), undefined), (err) => isClairError(err, 'UPDATER_FETCH') && /unexpected status 500 fetching http:\/\/127\.0\.0\.1:\d+\/vex\/changes\.csv/.test((err as Error).message));
  });

  it('fails with CLAIR_ERR_UPDATER_FETCH when a changed document is missing', async () => {
    const { server, updater, context } = await setup();
    server.routes.delete('/vex/2023/cve-2023-2000.json');
    await assert.rejects(updater.fetch(await context(), undefined), (err) => isClairError(err, 'UPDATER_FETCH') && /404 fetching .*\/vex\/2023\/cve-2023-2000\.json/.test((err as Error).message));
  });

  it('fails with CLAIR_ERR_UPDATER_FETCH when the archive download is cut short', async () => {
    const body = archive();
    const { updater, context } = await setup({ [`/vex/${ARCHIVE_NAME}`]: { truncateAt: Math.floor(body.length / 2) } });
    await assert.rejects(updater.fetch(await context(), undefined), (err) => isClairError(err, 'UPDATER_FETCH') && /csaf_vex_2024-02-01\.tar\.zst failed/.test((err as Error).message));
  });

  it('rejects (without hanging) a truncated archive at parse time', async () => {
    const whole = archive();
    for (const body of [whole.subarray(0, whole.length - 700), zstdRaw(buildTar([{ path: '2023/cve-2023-2000.json', content: miniDoc('CVE-2023-2000', '1.el9') }]).subarray(0, 1200))]) {
      const { updater, context } = await setup({ [`/vex/${ARCHIVE_NAME}`]: { body } });
      const ctx = await context();
      assert.equal((await updater.fetch(ctx, undefined)).unchanged, false);
      await assert.rejects(collect(updater.parse(ctx)), (err) => isClairError(err, 'UPDATER_PARSE') && /archive .* is unreadable/.test((err as Error).message));
    }
  });

  it('fails the run with CLAIR_ERR_UPDATER_PARSE on a malformed document, naming it', async () => {
    const { updater, context } = await setup({ [`/vex/${ARCHIVE_NAME}`]: { body: archive([{ path: '2023/cve-2023-9999.json', content: '{"document": {"tracking": ' }]) } });
    const ctx = await context();
    await updater.fetch(ctx, undefined);
    await assert.rejects(collect(updater.parse(ctx)), (err) => isClairError(err, 'UPDATER_PARSE') && /document 2023\/cve-2023-9999\.json is not valid JSON/.test((err as Error).message));
  });

  it('rejects an archive name that is not a plain file name', async () => {
    const { updater, context } = await setup({ '/vex/archive_latest.txt': { body: '../../etc/passwd' } });
    await assert.rejects(updater.fetch(await context(), undefined), (err) => isClairError(err, 'UPDATER_PARSE') && /archive_latest\.txt names an unexpected file/.test((err as Error).message));
  });

  it('stops reading the archive when the consumer stops', async () => {
    const { updater, context } = await setup();
    const ctx = await context();
    await updater.fetch(ctx, undefined);
    let seen = 0;
    for await (const _ of updater.parse(ctx)) {
      seen++;
      break;
    }
    assert.equal(seen, 1);
  });
});

describe('rhelVexSetFactory', () => {
  it('builds one updater named rhel-vex', async () => {
    assert.equal(rhelVexSetFactory.name, 'rhel-vex');
    const updaters = await rhelVexSetFactory.create(setContext({ url: 'http://127.0.0.1:1/vex/' }));
    assert.deepEqual(updaters.map((u) => u.name), ['rhel-vex']);
    assert.equal((await rhelVexSetFactory.create(setContext(undefined))).length, 1);
  });

  it('rejects bad configuration', async () => {
    await assert.rejects(rhelVexSetFactory.create(setContext({ url: 42 })), (err) => isClairError(err, 'CONFIG_INVALID'));
  });
});
