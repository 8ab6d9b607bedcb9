import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isClairError } from '../../../lib/errors.js';
import { LayerServer, openImage } from './index.js';
import {
  dockerArchiveMembers,
  gzipSync,
  layerTar,
  missingTools,
  run,
  sha256,
  skopeoArchiveManifest,
  tempDir,
  writeDirectory,
  writeTarFile,
} from '../../../test-support/image-archives.js';

async function fetchBytes(uri: string, headers: Record<string, string> = {}): Promise<{ status: number; body: Buffer }> {
  const res = await fetch(uri, { headers });
  return { status: res.status, body: Buffer.from(await res.arrayBuffer()) };
}

describe('docker-archive images', () => {
  it('reads a legacy docker save archive (symlinked layer.tar) with the digest skopeo gives it, and serves its layers byte for byte', async (t) => {
    const dir = await tempDir(t);
    const layers = [await layerTar('etc/os-release', 'ID=test\n'), await layerTar('usr/bin/app', 'binary')];
    const { members, configs } = dockerArchiveMembers([{ repoTags: ['example.com/app:1.0'], layers }], 'legacy');
    const path = join(dir, 'app.tar');
    await writeTarFile(path, members);

    const image = await openImage(path);
    t.after(() => image.close());
    const expectedDigest = sha256(skopeoArchiveManifest(configs[0]!, layers.map((l) => ({ digest: sha256(l), size: l.length }))));
    assert.equal(image.name, path);
    assert.equal(image.local, true);
    assert.equal(image.digest, expectedDigest);

    const server = await LayerServer.start();
    t.after(() => server.close());
    const manifest = image.manifest(server);
    assert.equal(manifest.hash, expectedDigest);
    assert.deepEqual(
      manifest.layers.map((l) => l.hash),
      layers.map((l) => sha256(l)),
    );
    for (const [i, layer] of manifest.layers.entries()) {
      assert.ok(layer.uri.startsWith(server.url), layer.uri);
      assert.deepEqual(layer.headers, {});
      const { status, body } = await fetchBytes(layer.uri);
      assert.equal(status, 200);
      assert.equal(sha256(body), layer.hash);
      assert.deepEqual(body, layers[i]);
    }
  });

  it('gives the digest `skopeo inspect docker-archive:` prints', async (t) => {
    const skip = await missingTools('skopeo');
    if (skip) return t.skip(skip);
    const dir = await tempDir(t);
    const layers = [await layerTar('a', 'one'), await layerTar('b', 'two')];
    const path = join(dir, 'app.tar');
    // skopeo 1.9 reports size 0 for layers reached through a symlink, so the oracle is asked about regular files only.
    await writeTarFile(path, dockerArchiveMembers([{ repoTags: ['app:latest'], layers }], 'flat').members);
    const { stdout } = await run('skopeo', ['inspect', '--raw', `docker-archive:${path}`]);
    const image = await openImage(path);
    t.after(() => image.close());
    assert.equal(image.digest, sha256(stdout.trim()));
  });

  it('reads Docker 25 archives (blobs/sha256), gzip-compressed archives, and unpacked directories alike', async (t) => {
    const dir = await tempDir(t);
    const layers = [await layerTar('etc/hostname', 'box\n')];
    const { members, configs } = dockerArchiveMembers([{ repoTags: ['app:latest'], layers }], 'blobs');
    const expected = sha256(skopeoArchiveManifest(configs[0]!, [{ digest: sha256(layers[0]!), size: layers[0]!.length }]));
    const plain = join(dir, 'plain.tar');
    await writeTarFile(plain, members);
    const gz = join(dir, 'compressed.tar.gz');
    await writeFile(gz, gzipSync(await readFile(plain)));
    const unpacked = join(dir, 'unpacked');
    await writeDirectory(unpacked, members);

    const server = await LayerServer.start();
    t.after(() => server.close());
    for (const arg of [plain, gz, unpacked, `docker-archive:${plain}`]) {
      const image = await openImage(arg);
      assert.equal(image.digest, expected, arg);
      const [layer] = image.manifest(server).layers;
      assert.equal(layer!.hash, sha256(layers[0]!));
      assert.deepEqual((await fetchBytes(layer!.uri)).body, layers[0], arg);
      await image.close();
    }
  });

  it('hashes gzip-compressed layers as served, not by their diff_id', async (t) => {
    const dir = await tempDir(t);
    const raw = await layerTar('etc/motd', 'hello\n');
    const compressed = gzipSync(raw);
    const path = join(dir, 'gz-layers.tar');
    await writeTarFile(path, dockerArchiveMembers([{ repoTags: ['app:latest'], layers: [compressed], diffIds: [sha256(raw)] }], 'legacy').members);
    const image = await openImage(path);
    t.after(() => image.close());
    const server = await LayerServer.start();
    t.after(() => server.close());
    const [layer] = image.manifest(server).layers;
    assert.equal(layer!.hash, sha256(compressed));
    assert.deepEqual((await fetchBytes(layer!.uri)).body, compressed);
  });

  it('chooses among several images by REPO:TAG (normalized) or @N, and lists them when no choice is made', async (t) => {
    const dir = await tempDir(t);
    const one = [await layerTar('one', '1')];
    const two = [await layerTar('two', '2')];
    const { members } = dockerArchiveMembers(
      [
        { repoTags: ['docker.io/library/alpine:3.19'], layers: one },
        { repoTags: ['quay.io/org/tool:v2'], layers: two },
      ],
      'legacy',
    );
    const path = join(dir, 'multi.tar');
    await writeTarFile(path, members);
    const layerOf = async (arg: string) => {
      const image = await openImage(arg);
      const server = await LayerServer.start();
      try {
        return image.manifest(server).layers.map((l) => l.hash);
      } finally {
        await server.close();
        await image.close();
      }
    };
    assert.deepEqual(await layerOf(`${path}:alpine:3.19`), [sha256(one[0]!)]);
    assert.deepEqual(await layerOf(`docker-archive:${path}:quay.io/org/tool:v2`), [sha256(two[0]!)]);
    assert.deepEqual(await layerOf(`${path}:@1`), [sha256(two[0]!)]);
    await assert.rejects(openImage(path), (err) => isClairError(err, 'IMAGE_REFERENCE') && /holds 2 images: @0 \(docker\.io\/library\/alpine:3\.19\), @1 \(quay\.io\/org\/tool:v2\)/.test(err.message));
    await assert.rejects(openImage(`${path}:alpine:edge`), (err) => isClairError(err, 'IMAGE_NOT_FOUND') && /no image tagged alpine:edge/.test(err.message));
    await assert.rejects(openImage(`${path}:@2`), (err) => isClairError(err, 'IMAGE_NOT_FOUND'));
  });

  it('streams a multi-megabyte layer exactly, whole and by range', async (t) => {
    const dir = await tempDir(t);
    const big = Buffer.alloc(5 * 1024 * 1024 + 123);
    for (let i = 0; i < big.length; i++) big[i] = (i * 7919) & 0xff;
    const layer = Buffer.concat([await layerTar('small', 'x'), big]); // not a valid tar past the first entry; only bytes matter here
    const path = join(dir, 'big.tar');
    await writeTarFile(path, dockerArchiveMembers([{ repoTags: ['big:1'], layers: [layer] }], 'blobs').members);
    const image = await openImage(path);
    t.after(() => image.close());
    const server = await LayerServer.start();
    t.after(() => server.close());
    const [entry] = image.manifest(server).layers;
    const whole = await fetchBytes(entry!.uri);
    assert.equal(whole.body.length, layer.length);
    assert.equal(sha256(whole.body), sha256(layer));
    const part = await fetchBytes(entry!.uri, { range: 'bytes=4000000-4000099' });
    assert.equal(part.status, 206);
    assert.deepEqual(part.body, layer.subarray(4000000, 4000100));
  });

  describe('corrupt archives are refused with a clear error', () => {
    it('a truncated tar', async (t) => {
      const dir = await tempDir(t);
      const path = join(dir, 'cut.tar');
      await writeTarFile(path, dockerArchiveMembers([{ repoTags: ['a:b'], layers: [await layerTar('f', 'x'.repeat(5000))] }], 'legacy').members);
      await truncate(path, 3000);
      await assert.rejects(openImage(path), (err) => isClairError(err, 'IMAGE_INVALID') && err.message.includes(`${path}: truncated tar archive`));
    });

    it('manifest.json naming a layer the archive lacks', async (t) => {
      const dir = await tempDir(t);
      const path = join(dir, 'missing.tar');
      const layer = await layerTar('f', 'x');
      const layerMember = `blobs/sha256/${sha256(layer).slice(7)}`;
      const { members } = dockerArchiveMembers([{ repoTags: ['a:b'], layers: [layer] }], 'blobs');
      await writeTarFile(path, members.filter((m) => m.name !== layerMember));
      await assert.rejects(openImage(path), (err) => isClairError(err, 'IMAGE_INVALID') && err.message === `${path}: manifest.json names layer ${layerMember}, which the archive does not hold`);
    });

    it('manifest.json that is not JSON', async (t) => {
      const dir = await tempDir(t);
      const path = join(dir, 'bad.tar');
      await writeTarFile(path, [{ name: 'manifest.json', data: '[{"Config": ' }]);
      await assert.rejects(openImage(path), (err) => isClairError(err, 'IMAGE_INVALID') && err.message.startsWith(`${path}: manifest.json is not valid JSON`));
    });

    it('manifest.json entries without Layers', async (t) => {
      const dir = await tempDir(t);
      const path = join(dir, 'nolayers.tar');
      await writeTarFile(path, [{ name: 'manifest.json', data: '[{"Config":"c.json","RepoTags":[]}]' }]);
      await assert.rejects(openImage(path), (err) => isClairError(err, 'IMAGE_INVALID') && err.message === `${path}: manifest.json: [0].Layers is missing`);
    });

    it('a file that is not a tar at all', async (t) => {
      const dir = await tempDir(t);
      const path = join(dir, 'junk.tar');
      await writeFile(path, Buffer.alloc(2048, 'z'));
      await assert.rejects(openImage(path), (err) => isClairError(err, 'IMAGE_INVALID') && err.message === `${path}: not a tar archive`);
    });

    it('a tar that is neither docker-archive nor OCI layout', async (t) => {
      const dir = await tempDir(t);
      const path = join(dir, 'other.tar');
      await writeTarFile(path, [{ name: 'hello.txt', data: 'hi' }]);
      await assert.rejects(
        openImage(path),
        (err) => isClairError(err, 'IMAGE_INVALID') && err.message === `${path} is a tar archive but neither a docker-archive (no manifest.json) nor an OCI layout (no oci-layout)`,
      );
    });

    it('corrupt gzip', async (t) => {
      const dir = await tempDir(t);
      const path = join(dir, 'bad.tar.gz');
      const good = gzipSync(Buffer.alloc(10240));
      await writeFile(path, good.subarray(0, good.length - 12));
      await assert.rejects(openImage(path), (err) => isClairError(err, 'IMAGE_INVALID') && err.message.startsWith(`${path}: corrupt gzip data`));
    });
  });

  it('stops when its signal is aborted', async (t) => {
    const dir = await tempDir(t);
    const path = join(dir, 'app.tar');
    await writeTarFile(path, dockerArchiveMembers([{ repoTags: ['a:b'], layers: [await layerTar('f', 'x')] }], 'legacy').members);
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(openImage(path, { signal: controller.signal }), (err) => (err as Error).name === 'AbortError');
  });

  it('reads the shared corpus archive when present', async (t) => {
    const path = new URL('../../../../.test-images/docker-archive/alpine.tar', import.meta.url).pathname;
    const exists = await readFile(path).then(() => true, () => false);
    if (!exists) return t.skip('the test-image corpus (.test-images, built by ../shared) is absent');
    const image = await openImage(path);
    t.after(() => image.close());
    const server = await LayerServer.start();
    t.after(() => server.close());
    const manifest = image.manifest(server);
    assert.equal(manifest.hash, 'sha256:1480fcb9569f984f098936d5a8d0c424f0209bf5d858bc70ca386790c8775ef5');
    for (const layer of manifest.layers) {
      const { body } = await fetchBytes(layer.uri);
      assert.equal(sha256(body), layer.hash);
    }
  });
});
