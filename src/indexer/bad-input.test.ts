/**
 * Bad input through the whole indexing path (API → controller → fetch →
 * decompress → tar): every case ends as an IndexError report whose `err`
 * names the problem, promptly, and the service keeps working.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { startClair, type ClairProcess } from '../app/start.js';
import { quietLogger, testConfig } from '../test-support/config.js';
import { buildTar, digestOf, gzip, serveBlobs, type BlobRoute, type BlobServer } from '../test-support/layer-builder.js';
import type { IndexReport } from '../model/index.js';

const OS_RELEASE = 'ID=alpine\nVERSION_ID=3.19.1\nPRETTY_NAME="Alpine Linux v3.19"\nNAME="Alpine Linux"\n';
/** A valid layer; `tag` makes its digest unique, since a layer already scanned is never fetched again. */
const layer = (tag: string) => gzip(buildTar([{ path: 'etc/os-release', content: OS_RELEASE }, { path: 'lib/apk/db/installed', content: 'P:musl\nV:1.2.4-r2\nA:x86_64\no:musl\n\n' }, { path: 'tag', content: tag }]));
const good = layer('good');
const [missing, unauthorized, flaky, broken, cut] = ['missing', 'unauthorized', 'flaky', 'broken', 'cut'].map(layer) as [Buffer, Buffer, Buffer, Buffer, Buffer];
const traversal = gzip(buildTar([{ path: '../../etc/passwd', content: 'root:x:0:0\n' }]));
const truncatedGzip = good.subarray(0, Math.floor(good.length / 2));
const bomb = gzip(buildTar([{ path: 'zeros', content: new Uint8Array(8 * 1024 * 1024) }]));
const bzip2 = Buffer.concat([Buffer.from('BZh91AY&SY'), Buffer.alloc(64)]);

describe('indexing bad input', () => {
  let clair: ClairProcess;
  let blobs: BlobServer;

  before(async () => {
    const routes: Record<string, BlobRoute> = {
      '/good': { body: good },
      '/missing': { script: [404] },
      '/unauthorized': { body: unauthorized, authorization: 'Bearer right' },
      '/flaky': { body: flaky, script: [500, 503] },
      '/broken': { body: broken, script: [500, 500, 500, 500, 500, 500] },
      '/traversal': { body: traversal },
      '/truncated': { body: truncatedGzip },
      '/bomb': { body: bomb },
      '/bzip2': { body: bzip2 },
      '/cut': { body: cut, script: ['truncate', 'truncate', 'truncate', 'truncate', 'truncate'] },
    };
    blobs = await serveBlobs(routes);
    clair = await startClair({
      mode: 'indexer',
      log: quietLogger(),
      // A 1 MiB layer cap, so the "bomb" (8 MiB of zeros in a few KiB) trips it.
      config: testConfig('indexer', { indexer: { connstring: 'memory://', limits: { layer_bytes: 1024 * 1024 } } }),
    });
  });
  after(async () => {
    await clair?.close();
    await blobs?.close();
  });

  let n = 0;
  async function index(path: string, body: Buffer, headers?: Record<string, string[]>): Promise<IndexReport> {
    n++;
    const manifest = {
      hash: `sha256:${createHash('sha256').update(`${path}${n}`).digest('hex')}`,
      layers: [{ hash: digestOf(body), uri: blobs.url(path), ...(headers ? { headers } : {}) }],
    };
    const r = await fetch(`${clair.apiUrl}/indexer/api/v1/index_report`, { method: 'POST', body: JSON.stringify(manifest), headers: { 'content-type': 'application/json' }, signal: AbortSignal.timeout(60_000) });
    assert.equal(r.status, 201);
    return (await r.json()) as IndexReport;
  }

  const failsWith = async (path: string, body: Buffer, pattern: RegExp, headers?: Record<string, string[]>) => {
    const report = await index(path, body, headers);
    assert.equal(report.state, 'IndexError', `${path}: ${report.err}`);
    assert.equal(report.success, false);
    assert.match(report.err, pattern);
  };

  it('indexes a good layer, sending the manifest\'s headers, and never fetches it again', async () => {
    const report = await index('/good', good);
    assert.equal(report.state, 'IndexFinished');
    assert.deepEqual(Object.values(report.packages).filter((p) => p.kind === 'binary').map((p) => `${p.name} ${p.version}`), ['musl 1.2.4-r2']);
    const authorized = await index('/unauthorized', unauthorized, { Authorization: ['Bearer right'] });
    assert.equal(authorized.state, 'IndexFinished');
    const before = blobs.count('/good');
    assert.equal((await index('/good', good)).state, 'IndexFinished');
    assert.equal(blobs.count('/good'), before, 'a scanned layer is not fetched for a new manifest');
  });

  it('reports registry 404 and 401 at once, naming the status and never the credentials', async () => {
    await failsWith('/missing', missing, /404/);
    const refused = await index('/unauthorized', layer('other'), { Authorization: ['Bearer wrong-secret'] });
    assert.equal(refused.state, 'IndexError');
    assert.match(refused.err, /401/);
    const last = refused;
    assert.doesNotMatch(last.err, /wrong-secret/);
  });

  it('retries transient 5xx, and reports persistent ones', async () => {
    const report = await index('/flaky', flaky);
    assert.equal(report.state, 'IndexFinished', report.err);
    await failsWith('/broken', broken, /500/);
  });

  it('rejects a digest mismatch, naming the declared digest but never what the content hashed to', async () => {
    const wrong = Buffer.from('not the layer');
    const report = await index('/good', wrong);
    assert.equal(report.state, 'IndexError');
    assert.ok(report.err.includes(digestOf(wrong)), report.err);
    assert.ok(!report.err.includes(digestOf(good)), `the served content's digest leaked: ${report.err}`);
    assert.match(report.err, /does not match the layer digest; the layer could not be used/);
  });

  it('rejects path traversal, truncated gzip, cut downloads, bzip2 and decompression bombs', async () => {
    await failsWith('/traversal', traversal, /escapes|\.\./);
    await failsWith('/truncated', truncatedGzip, /truncat|unexpected end|corrupt/i);
    await failsWith('/cut', cut, /.+/);
    await failsWith('/bzip2', bzip2, /bzip2/i);
    await failsWith('/bomb', bomb, /too large|exceeds|cap|limit/i);
  });

  it('keeps serving after all of that', async () => {
    const r = await fetch(`${clair.apiUrl}/indexer/api/v1/index_state`);
    assert.equal(r.status, 200);
  });
});
