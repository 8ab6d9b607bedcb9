import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { isClairError } from '../../lib/errors.js';
import { startFeedServer, type FeedServer } from '../../test-support/feed-server.js';
import { compressionOf, fetchOval, formatFingerprint, nextFingerprint, OVAL_FILE, parseCompression, parseFingerprint, resolveCompression, type CompressionSetting } from './index.js';
import { zstdRaw } from '../../test-support/layer-builder.js';
import { testdata, TEST_TIMEOUT_MS, updaterContext } from './updater.case.js';

const XML = readFileSync(testdata('oval/testdata/rpminfo.xml'));
const BZ2 = readFileSync(testdata('oval/testdata/rpminfo.xml.bz2'));

describe('OVAL fingerprint', () => {
  it('serialises as claircore: {"Etag","Date"}, empty fields omitted', () => {
    assert.equal(formatFingerprint({ etag: '"a"', date: 'Mon, 01 Jan 2024 00:00:00 GMT' }), '{"Etag":"\\"a\\"","Date":"Mon, 01 Jan 2024 00:00:00 GMT"}');
    assert.equal(formatFingerprint({ etag: '', date: 'd' }), '{"Date":"d"}');
    assert.equal(formatFingerprint({ etag: '', date: '' }), '{}');
  });

  it('reads back what it wrote and treats anything else as no fingerprint', () => {
    assert.deepEqual(parseFingerprint('{"Etag":"x","Date":"y"}'), { etag: 'x', date: 'y' });
    for (const junk of [undefined, '', 'not json', '[]', 'null', '{"Etag":5}']) assert.deepEqual(parseFingerprint(junk), { etag: '', date: '' }, String(junk));
  });

  it('keeps the previous ETag when a response has none, and always takes Last-Modified', () => {
    assert.deepEqual(nextFingerprint({ etag: 'old', date: 'old' }, new Headers({})), { etag: 'old', date: '' });
    assert.deepEqual(nextFingerprint({ etag: 'old', date: '' }, new Headers({ etag: 'new', 'last-modified': 'lm' })), { etag: 'new', date: 'lm' });
  });

  it('infers compression from the file name', () => {
    assert.deepEqual(['a.xml.gz', 'a.xml.bz2', 'a.xml', 'a.xml.gz?x=1'].map(compressionOf), ['gzip', 'bzip2', 'none', 'gzip']);
  });

  it('parses compression names as claircore’s ParseCompressor', () => {
    assert.deepEqual(['gz', 'gzip', 'bz2', 'bzip2', 'zstd', 'none', '', 'auto', 'xz', 'GZ'].map(parseCompression), ['gzip', 'gzip', 'bzip2', 'bzip2', 'zstd', 'none', 'auto', 'auto', undefined, undefined]);
  });

  it('resolves auto as claircore: a parsable Content-Type decides, else the Content-Disposition file name, else the URL', () => {
    const auto = (headers: Record<string, string>, url = 'https://h/f.xml'): string => resolveCompression('auto', new Headers(headers), url);
    assert.equal(auto({ 'content-type': 'application/x-bzip2' }), 'bzip2');
    assert.equal(auto({ 'content-type': 'application/gzip; charset=binary' }), 'gzip');
    assert.equal(auto({ 'content-type': 'application/x-gzip' }), 'gzip');
    assert.equal(auto({ 'content-type': 'application/zstd' }), 'zstd');
    assert.equal(auto({ 'content-type': 'application/octet-stream' }, 'https://h/f.xml.bz2'), 'none', 'a parsable type wins over the name, even an unhelpful one');
    assert.equal(auto({ 'content-disposition': 'attachment; filename="f.xml.gz"' }), 'gzip');
    assert.equal(auto({}, 'https://h/f.xml.bz2'), 'bzip2');
    assert.equal(auto({}, 'https://h/f.xml.zst?x=1'), 'zstd');
    assert.equal(auto({}), 'none');
    assert.equal(resolveCompression('gzip', new Headers({ 'content-type': 'text/xml' }), 'https://h/f.xml'), 'gzip', 'a fixed setting is never second-guessed');
  });
});

describe('OVAL fetch', () => {
  let server: FeedServer;
  before(async () => {
    server = await startFeedServer({
      '/plain.xml': { body: XML },
      '/gzip.xml.gz': { body: gzipSync(XML) },
      '/bzip2.xml.bz2': { body: BZ2 },
      '/cut.xml.bz2': { body: BZ2.subarray(0, Math.floor(BZ2.length / 2)) },
      '/garbage.xml.bz2': { body: 'this is not bzip2' },
      '/cut.xml.gz': { body: gzipSync(XML).subarray(0, 200) },
      '/noetag.xml': { body: XML, etag: null, lastModified: new Date('2024-05-06T07:08:09Z') },
      '/zstd.xml.zst': { body: zstdRaw(XML) },
      '/auto-typed': { body: gzipSync(XML), contentType: 'application/gzip' },
      '/auto-named.xml.bz2': { body: BZ2, contentType: '' },
      '/auto-octet.xml.bz2': { body: BZ2 },
    });
  });
  after(() => server.close());

  async function fetchTo(path: string, compression: CompressionSetting, previous?: string) {
    const ctx = await updaterContext();
    try {
      const outcome = await fetchOval(ctx, previous, { url: `${server.url}${path}`, compression, component: 'test' });
      return { outcome, body: outcome.unchanged ? undefined : await readFile(join(ctx.dir, OVAL_FILE)) };
    } finally {
      await ctx.cleanup();
    }
  }

  for (const [path, compression] of [['plain.xml', 'none'], ['gzip.xml.gz', 'gzip'], ['bzip2.xml.bz2', 'bzip2'], ['zstd.xml.zst', 'zstd'], ['auto-typed', 'auto'], ['auto-named.xml.bz2', 'auto']] as const) {
    it(`stores the ${compression} document decompressed (${path})`, { timeout: TEST_TIMEOUT_MS }, async () => {
      const { body } = await fetchTo(path, compression);
      assert.deepEqual(body, XML);
    });
  }

  it('stores an octet-stream body as is under auto, as claircore does', { timeout: TEST_TIMEOUT_MS }, async () => {
    assert.deepEqual((await fetchTo('auto-octet.xml.bz2', 'auto')).body, BZ2);
  });

  for (const [path, compression] of [['cut.xml.bz2', 'bzip2'], ['garbage.xml.bz2', 'bzip2'], ['cut.xml.gz', 'gzip']] as const) {
    it(`rejects a complete response whose ${compression} data is cut or corrupt (${path})`, { timeout: TEST_TIMEOUT_MS }, async () => {
      await assert.rejects(fetchTo(path, compression), (err: unknown) => {
        assert.ok(isClairError(err, 'UPDATER_FETCH'), String(err));
        assert.match(err.message, new RegExp(`^test: GET ${server.url}${path.replace('.', '\\.')}: download failed \\(${compression} body\\)`));
        return true;
      });
    });
  }

  it('fingerprints without an ETag, by Last-Modified only', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { outcome } = await fetchTo('noetag.xml', 'none');
    assert.deepEqual(outcome, { unchanged: false, fingerprint: '{"Date":"Mon, 06 May 2024 07:08:09 GMT"}' });
  });

  it('fails with UPDATER_FETCH naming the URL when nothing listens', { timeout: TEST_TIMEOUT_MS }, async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((r) => closed.close(() => r()));
    const ctx = await updaterContext();
    try {
      await assert.rejects(fetchOval(ctx, undefined, { url: `http://127.0.0.1:${port}/x.xml`, compression: 'none', component: 'test' }), (err: unknown) => {
        assert.ok(isClairError(err, 'UPDATER_FETCH'));
        assert.match(err.message, new RegExp(`^test: GET http://127\\.0\\.0\\.1:${port}/x\\.xml failed: fetch failed: .*ECONNREFUSED`));
        return true;
      });
    } finally {
      await ctx.cleanup();
    }
  });

  it('reports unchanged when a server ignores the conditional request but sends the same ETag', { timeout: TEST_TIMEOUT_MS }, async () => {
    let requests = 0;
    const stubborn = createServer((_req, res) => {
      requests++;
      res.writeHead(200, { etag: '"same"' }).end(XML);
    });
    await new Promise<void>((r) => stubborn.listen(0, '127.0.0.1', r));
    const ctx = await updaterContext();
    try {
      const url = `http://127.0.0.1:${(stubborn.address() as AddressInfo).port}/f.xml`;
      assert.deepEqual(await fetchOval(ctx, '{"Etag":"\\"same\\""}', { url, compression: 'none', component: 'test' }), { unchanged: true });
      assert.deepEqual(await fetchOval(ctx, '{"Etag":"\\"other\\""}', { url, compression: 'none', component: 'test' }), { unchanged: false, fingerprint: '{"Etag":"\\"same\\""}' });
      assert.equal(requests, 2);
    } finally {
      await ctx.cleanup();
      stubborn.closeAllConnections();
      await new Promise<void>((r) => stubborn.close(() => r()));
    }
  });
});
