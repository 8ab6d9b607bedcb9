import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { isClairError } from '../../../lib/errors.js';
import { LayerServer, openImage } from './index.js';
import { parseRange } from './layer-server.js';
import { gzipSync, layerTar, ociImage, ociLayoutMembers, sha256, tempDir, writeTarFile } from '../../../test-support/image-archives.js';

async function localImage(t: { after(fn: () => Promise<void>): void }) {
  const dir = await tempDir(t);
  const layer = gzipSync(await layerTar('etc/issue', 'Welcome\n'));
  const image = ociImage([layer]);
  const path = join(dir, 'layout.tar');
  await writeTarFile(path, ociLayoutMembers([{ image }]).members);
  return { layer, path };
}

describe('LayerServer', () => {
  it('serves registered blobs at unguessable URLs: GET, HEAD and single ranges', async (t) => {
    const { layer, path } = await localImage(t);
    const image = await openImage(path);
    t.after(() => image.close());
    const server = await LayerServer.start();
    t.after(() => server.close());
    const [entry] = image.manifest(server).layers;
    const uri = new URL(entry!.uri);
    assert.match(uri.pathname, new RegExp(`^/[A-Za-z0-9_-]{32}/blobs/${sha256(layer)}$`));
    assert.equal(`${uri.origin}/`, server.url);
    assert.equal(server.url, `http://${server.listening}/`);

    const whole = await fetch(uri);
    assert.equal(whole.status, 200);
    assert.equal(whole.headers.get('content-type'), 'application/octet-stream');
    assert.equal(whole.headers.get('content-length'), String(layer.length));
    assert.equal(whole.headers.get('docker-content-digest'), sha256(layer));
    assert.deepEqual(Buffer.from(await whole.arrayBuffer()), layer);

    const head = await fetch(uri, { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(head.headers.get('content-length'), String(layer.length));

    const first = await fetch(uri, { headers: { range: 'bytes=0-0' } });
    assert.equal(first.status, 206);
    assert.equal(first.headers.get('content-range'), `bytes 0-0/${layer.length}`);
    assert.deepEqual(Buffer.from(await first.arrayBuffer()), layer.subarray(0, 1));

    const tail = await fetch(uri, { headers: { range: 'bytes=-10' } });
    assert.deepEqual(Buffer.from(await tail.arrayBuffer()), layer.subarray(layer.length - 10));

    const past = await fetch(uri, { headers: { range: `bytes=${layer.length}-` } });
    assert.equal(past.status, 416);
    assert.equal(past.headers.get('content-range'), `bytes */${layer.length}`);
  });

  it('answers 404 without the token or for an unknown digest, and 405 for other methods', async (t) => {
    const { layer, path } = await localImage(t);
    const image = await openImage(path);
    t.after(() => image.close());
    const server = await LayerServer.start();
    t.after(() => server.close());
    const uri = new URL(image.manifest(server).layers[0]!.uri);
    assert.equal((await fetch(new URL(`/wrong-token/blobs/${sha256(layer)}`, uri))).status, 404);
    assert.equal((await fetch(new URL(uri.pathname.replace(sha256(layer), sha256('other')), uri))).status, 404);
    assert.equal((await fetch(uri, { method: 'DELETE' })).status, 405);
  });

  it('answers 410 once the image is closed', async (t) => {
    const { path } = await localImage(t);
    const image = await openImage(path);
    const server = await LayerServer.start();
    t.after(() => server.close());
    const uri = image.manifest(server).layers[0]!.uri;
    await image.close();
    assert.equal((await fetch(uri)).status, 410);
  });

  it('uses the advertised URL (with its path) in layer URIs, and still matches requests behind a prefix', async (t) => {
    const { layer, path } = await localImage(t);
    const image = await openImage(path);
    t.after(() => image.close());
    const server = await LayerServer.start({ advertise: 'https://clairctl.example:9443/layers' });
    t.after(() => server.close());
    const uri = new URL(image.manifest(server).layers[0]!.uri);
    assert.equal(server.url, 'https://clairctl.example:9443/layers/');
    assert.equal(uri.origin, 'https://clairctl.example:9443');
    assert.match(uri.pathname, new RegExp(`^/layers/[A-Za-z0-9_-]{32}/blobs/${sha256(layer)}$`));
    const local = await fetch(`http://${server.listening}${uri.pathname}`);
    assert.equal(local.status, 200);
    assert.equal(sha256(Buffer.from(await local.arrayBuffer())), sha256(layer));
  });

  it('refuses a malformed listen address, an unusable advertised URL, and a wildcard listen without one', async () => {
    await assert.rejects(LayerServer.start({ listen: 'localhost' }), (err) => isClairError(err, 'IMAGE_SERVE') && /listen address "localhost" is not host:port/.test(err.message));
    await assert.rejects(LayerServer.start({ advertise: 'ftp://x/' }), (err) => isClairError(err, 'IMAGE_SERVE') && err.message === 'advertised layer URL "ftp://x/" must be http or https');
    await assert.rejects(LayerServer.start({ advertise: 'not a url' }), (err) => isClairError(err, 'IMAGE_SERVE') && /is not a URL/.test(err.message));
    await assert.rejects(LayerServer.start({ listen: '0.0.0.0:0' }), (err) => isClairError(err, 'IMAGE_SERVE') && /needs an advertised URL/.test(err.message));
    const wildcard = await LayerServer.start({ listen: '0.0.0.0:0', advertise: 'http://indexer-visible:1234' });
    assert.equal(wildcard.url, 'http://indexer-visible:1234/');
    await wildcard.close();
  });

  it('reports an address in use', async () => {
    const first = await LayerServer.start();
    try {
      await assert.rejects(LayerServer.start({ listen: first.listening }), (err) => isClairError(err, 'IMAGE_SERVE') && err.message === `cannot listen on ${first.listening} to serve local layers: EADDRINUSE`);
    } finally {
      await first.close();
    }
  });

  it('refuses to give a local manifest without a server', async (t) => {
    const { path } = await localImage(t);
    const image = await openImage(path);
    t.after(() => image.close());
    assert.throws(() => image.manifest(), (err) => isClairError(err, 'IMAGE_SERVE') && err.message.startsWith(`${path} is a local image`));
  });

  it('parses Range headers as HTTP does', () => {
    assert.equal(parseRange(undefined, 10), undefined);
    assert.deepEqual(parseRange('bytes=2-4', 10), { start: 2, end: 4 });
    assert.deepEqual(parseRange('bytes=2-', 10), { start: 2, end: 9 });
    assert.deepEqual(parseRange('bytes=5-100', 10), { start: 5, end: 9 });
    assert.deepEqual(parseRange('bytes=-3', 10), { start: 7, end: 9 });
    assert.equal(parseRange('bytes=10-', 10), 'unsatisfiable');
    assert.equal(parseRange('bytes=-0', 10), 'unsatisfiable');
    assert.equal(parseRange('bytes=0-1,3-4', 10), undefined);
    assert.equal(parseRange('items=0-1', 10), undefined);
    assert.equal(parseRange('bytes=4-2', 10), undefined);
  });
});
