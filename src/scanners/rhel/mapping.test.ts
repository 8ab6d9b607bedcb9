import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { isClairError } from '../../lib/errors.js';
import { serveMappings, type MappingServer } from '../../test-support/rhel-fixtures.js';
import { DEFAULT_MAPPING_TIMEOUT_MS, mappingConfig, MappingRegistry, UpdatingMapping, type MappingOptions } from './mapping.js';

type Doc = Record<string, number>;
const decode = (json: unknown): Doc => {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new TypeError('not an object');
  return json as Doc;
};

describe('UpdatingMapping', () => {
  let server: MappingServer;
  let dir: string;
  let clock = 0;
  let n = 0;
  const path = (): string => `/mapping-${++n}.json`;
  const mapping = (o: Partial<MappingOptions<Doc>>): UpdatingMapping<Doc> =>
    new UpdatingMapping<Doc>({ what: 'test mapping', timeoutMs: 2000, decode, now: () => clock, ...o });
  const seen = (p: string) => server.requests.filter((r) => r.path === p);

  before(async () => {
    server = await serveMappings();
    dir = await mkdtemp(join(tmpdir(), 'rhel-mapping-'));
  });
  after(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('fetches once and serves the cached copy until the refresh interval has passed', async () => {
    const p = path();
    server.route(p, { status: 200, body: '{"a":1}' });
    const m = mapping({ url: server.url(p), refreshIntervalMs: 1000 });
    clock = 10_000;
    assert.deepEqual(await m.get(), { a: 1 });
    clock += 999;
    assert.deepEqual(await m.get(), { a: 1 });
    assert.equal(seen(p).length, 1);
    server.route(p, { status: 200, body: '{"a":2}' });
    clock += 1;
    assert.deepEqual(await m.get(), { a: 2 });
    assert.equal(seen(p).length, 2);
  });

  it('revalidates with If-None-Match and keeps its copy on 304', async () => {
    const p = path();
    server.route(p, { status: 200, body: '{"etag":1}', etag: '"v1"', lastModified: 'Mon, 02 Jan 2006 15:04:05 GMT' });
    const m = mapping({ url: server.url(p), refreshIntervalMs: 1000 });
    clock = 20_000;
    assert.deepEqual(await m.get(), { etag: 1 });
    assert.equal(seen(p)[0]!.headers['if-none-match'], undefined);
    clock += 1000;
    assert.deepEqual(await m.get(), { etag: 1 });
    const second = seen(p)[1]!;
    assert.equal(second.headers['if-none-match'], '"v1"');
    assert.equal(second.headers['if-modified-since'], 'Mon, 02 Jan 2006 15:04:05 GMT');
    // A 304 counts as a fresh fetch: no request until the next interval.
    clock += 999;
    await m.get();
    assert.equal(seen(p).length, 2);
  });

  it('revalidates with If-Modified-Since when the server sends only Last-Modified', async () => {
    const p = path();
    server.route(p, { status: 200, body: '{"lm":1}', lastModified: 'Tue, 14 Nov 2023 08:00:00 GMT' });
    const m = mapping({ url: server.url(p), refreshIntervalMs: 10 });
    clock = 30_000;
    await m.get();
    clock += 10;
    assert.deepEqual(await m.get(), { lm: 1 });
    assert.equal(seen(p)[1]!.headers['if-modified-since'], 'Tue, 14 Nov 2023 08:00:00 GMT');
    assert.equal(seen(p)[1]!.headers['if-none-match'], undefined);
  });

  it('fails with RHEL_MAPPING_UNAVAILABLE on a 500 with no copy, and retries after the failure delay', async () => {
    const p = path();
    server.route(p, { status: 500, body: 'oops' });
    const m = mapping({ url: server.url(p), retryAfterFailureMs: 60_000 });
    clock = 40_000;
    await assert.rejects(m.get(), (err) => isClairError(err, 'RHEL_MAPPING_UNAVAILABLE') && /no mapping available/.test(err.message) && /status 500/.test(String((err.cause as Error).message)));
    // Within the delay nothing is fetched and the error is immediate.
    clock += 59_999;
    await assert.rejects(m.get(), (err) => isClairError(err, 'RHEL_MAPPING_UNAVAILABLE'));
    assert.equal(seen(p).length, 1);
    server.route(p, { status: 200, body: '{"ok":1}' });
    clock += 1;
    assert.deepEqual(await m.get(), { ok: 1 });
    assert.equal(seen(p).length, 2);
  });

  it('keeps serving a stale copy when a refresh fails', async () => {
    const p = path();
    server.route(p, { status: 200, body: '{"stale":1}' });
    const m = mapping({ url: server.url(p), refreshIntervalMs: 100, retryAfterFailureMs: 1 });
    clock = 50_000;
    await m.get();
    server.route(p, { status: 503, body: '' });
    clock += 100;
    assert.deepEqual(await m.get(), { stale: 1 });
    // With a copy held, a failed refresh waits a whole interval, as claircore.
    clock += 50;
    await m.get();
    assert.equal(seen(p).length, 2);
  });

  it('gives up on a server that never answers after the timeout', async () => {
    const p = path();
    server.route(p, { status: 200, body: '', hang: true });
    const m = mapping({ url: server.url(p), timeoutMs: 150 });
    clock = 60_000;
    const started = performance.now();
    await assert.rejects(m.get(), (err) => isClairError(err, 'RHEL_MAPPING_UNAVAILABLE') && /unable to fetch/.test(String((err.cause as Error).message)));
    const elapsed = performance.now() - started;
    assert.ok(elapsed >= 100 && elapsed < 2000, `took ${elapsed} ms`);
  });

  it('gives up on a body that stalls after the headers', async () => {
    const p = path();
    server.route(p, { status: 200, body: '{"a":1,"b":2,"c":3}', stallBody: true });
    const m = mapping({ url: server.url(p), timeoutMs: 150 });
    clock = 70_000;
    await assert.rejects(m.get(), (err) => isClairError(err, 'RHEL_MAPPING_UNAVAILABLE'));
  });

  it('shares one request between concurrent callers', async () => {
    const p = path();
    server.route(p, { status: 200, body: '{"shared":1}' });
    const m = mapping({ url: server.url(p) });
    clock = 80_000;
    const all = await Promise.all([m.get(), m.get(), m.get()]);
    assert.deepEqual(all, [{ shared: 1 }, { shared: 1 }, { shared: 1 }]);
    assert.equal(seen(p).length, 1);
  });

  it('stops waiting when the caller is cancelled', async () => {
    const p = path();
    server.route(p, { status: 200, body: '', hang: true });
    const m = mapping({ url: server.url(p), timeoutMs: 5000 });
    clock = 90_000;
    const ac = new AbortController();
    const pending = m.get(ac.signal);
    setTimeout(() => ac.abort(new Error('scan cancelled')), 20);
    await assert.rejects(pending, /scan cancelled/);
    await assert.rejects(m.get(AbortSignal.abort(new Error('already'))), /already/);
  });

  it('rejects a document that is not JSON, or not of the expected shape', async () => {
    const p = path();
    server.route(p, { status: 200, body: '<html>maintenance</html>' });
    await assert.rejects(mapping({ url: server.url(p) }).get(), (err) => isClairError(err, 'RHEL_MAPPING_UNAVAILABLE') && /failed to decode/.test(String((err.cause as Error).message)));
    const q = path();
    server.route(q, { status: 200, body: '[1,2]' });
    await assert.rejects(mapping({ url: server.url(q) }).get(), (err) => isClairError(err, 'RHEL_MAPPING_UNAVAILABLE'));
  });

  it('reads a plain or gzip file without any network', async () => {
    const plain = join(dir, 'plain.json');
    const gz = join(dir, 'mapping.json.gz');
    await writeFile(plain, '{"file":1}');
    await writeFile(gz, gzipSync('{"file":2}'));
    assert.deepEqual(await mapping({ file: plain }).get(), { file: 1 });
    assert.deepEqual(await mapping({ file: gz }).get(), { file: 2 });
    await assert.rejects(mapping({ file: join(dir, 'missing.json') }).get(), (err) => isClairError(err, 'RHEL_MAPPING_UNAVAILABLE') && /unable to read/.test(err.message));
    const zst = join(dir, 'mapping.json.zst');
    await writeFile(zst, Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0, 0]));
    await assert.rejects(mapping({ file: zst }).get(), /zstd/);
  });

  it('seeds from the file and refreshes from the URL, falling back to the file when the URL fails', async () => {
    const file = join(dir, 'seed.json');
    await writeFile(file, '{"seed":1}');
    const p = path();
    server.route(p, { status: 500, body: '' });
    clock = 100_000;
    assert.deepEqual(await mapping({ file, url: server.url(p) }).get(), { seed: 1 });
    assert.equal(seen(p).length, 1);
    const q = path();
    server.route(q, { status: 200, body: '{"remote":1}' });
    assert.deepEqual(await mapping({ file, url: server.url(q) }).get(), { remote: 1 });
  });
});

describe('mappingConfig', () => {
  const keys = { url: 'repo2cpe_mapping_url', file: 'repo2cpe_mapping_file' };
  const DEFAULT = 'https://security.access.redhat.com/data/metrics/repository-to-cpe.json';

  it('defaults to Red Hat URL and a 10 s timeout', () => {
    assert.deepEqual(mappingConfig('s', undefined, keys, DEFAULT), { url: DEFAULT, file: '', timeoutMs: DEFAULT_MAPPING_TIMEOUT_MS });
    assert.deepEqual(mappingConfig('s', { timeout: 0 }, keys, DEFAULT), { url: DEFAULT, file: '', timeoutMs: 10_000 });
  });

  it('uses a file alone exclusively, and a file with a URL as seed', () => {
    assert.deepEqual(mappingConfig('s', { repo2cpe_mapping_file: '/etc/clair/r2c.json' }, keys, DEFAULT), { url: '', file: '/etc/clair/r2c.json', timeoutMs: 10_000 });
    assert.deepEqual(mappingConfig('s', { repo2cpe_mapping_file: 'f', repo2cpe_mapping_url: 'http://mirror/r2c.json', timeout: '30s' }, keys, DEFAULT), {
      url: 'http://mirror/r2c.json',
      file: 'f',
      timeoutMs: 30_000,
    });
  });

  it('reads timeouts as Go durations or integer nanoseconds', () => {
    assert.equal(mappingConfig('s', { timeout: '1m30s' }, keys, DEFAULT).timeoutMs, 90_000);
    assert.equal(mappingConfig('s', { timeout: 2_500_000_000 }, keys, DEFAULT).timeoutMs, 2500);
    assert.equal(mappingConfig('s', { timeout: '1ns' }, keys, DEFAULT).timeoutMs, 1);
  });

  it('rejects ill-typed settings', () => {
    for (const bad of [{ repo2cpe_mapping_url: 5 }, { timeout: true }, { timeout: '-1s' }, { timeout: 'soon' }, 'x', [1]]) {
      assert.throws(() => mappingConfig('rhel-repository-scanner', bad, keys, DEFAULT), (err) => isClairError(err, 'CONFIG_INVALID'), JSON.stringify(bad));
    }
  });
});

describe('MappingRegistry', () => {
  it('shares one mapping per configuration', () => {
    let made = 0;
    const r = new MappingRegistry<Doc>((c) => (made++, new UpdatingMapping<Doc>({ what: 'x', timeoutMs: c.timeoutMs, decode })));
    const a = r.for({ url: 'u', file: '', timeoutMs: 1 });
    assert.equal(r.for({ url: 'u', file: '', timeoutMs: 1 }), a);
    assert.notEqual(r.for({ url: 'u', file: '', timeoutMs: 2 }), a);
    assert.equal(made, 2);
  });
});
