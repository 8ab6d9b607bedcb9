import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isClairError } from '../../../lib/errors.js';
import { LayerServer, openImage, type OpenedImage } from './index.js';
import { gzipSync, layerTar, ociImage, ociLayoutMembers, sha256, tempDir, writeDirectory, writeTarFile, type IndexEntry } from '../../../test-support/image-archives.js';

async function layersServed(t: { after(fn: () => Promise<void>): void }, image: OpenedImage): Promise<Array<{ hash: string; body: Buffer }>> {
  const server = await LayerServer.start();
  t.after(() => server.close());
  const out = [];
  for (const layer of image.manifest(server).layers) {
    const res = await fetch(layer.uri);
    assert.equal(res.status, 200);
    out.push({ hash: layer.hash, body: Buffer.from(await res.arrayBuffer()) });
  }
  return out;
}

async function writeLayout(dir: string, entries: IndexEntry[]): Promise<{ dir: string; tar: string; nestedIndexDigests: string[] }> {
  const { members, nestedIndexDigests } = ociLayoutMembers(entries);
  const layout = join(dir, 'layout');
  await writeDirectory(layout, members);
  const tar = join(dir, 'layout.tar');
  await writeTarFile(tar, members);
  return { dir: layout, tar, nestedIndexDigests };
}

describe('OCI layout images', () => {
  it('reads a layout directory and its tarball, with the manifest descriptor digest and exact layer bytes', async (t) => {
    const tmp = await tempDir(t);
    const layers = [await layerTar('etc/os-release', 'ID=oci\n'), gzipSync(await layerTar('app/run', 'go'))];
    const image = ociImage(layers);
    const { dir, tar } = await writeLayout(tmp, [{ image, ref: 'latest' }]);
    for (const arg of [dir, tar, `oci:${dir}`, `oci-archive:${tar}`, `${dir}:latest`, `oci:${tar}:latest`]) {
      const opened = await openImage(arg);
      t.after(() => opened.close());
      assert.equal(opened.digest, image.digest, arg);
      assert.equal(opened.local, true);
      const served = await layersServed(t, opened);
      assert.deepEqual(
        served.map((s) => s.hash),
        layers.map((l) => sha256(l)),
      );
      served.forEach((s, i) => assert.deepEqual(s.body, layers[i], arg));
    }
  });

  it('chooses by ref name or @N when index.json holds several images, and lists them otherwise', async (t) => {
    const tmp = await tempDir(t);
    const a = ociImage([await layerTar('a', 'a')]);
    const b = ociImage([await layerTar('b', 'b')]);
    const { dir } = await writeLayout(tmp, [
      { image: a, ref: 'one' },
      { image: b, ref: 'two' },
    ]);
    assert.equal((await openImage(`${dir}:two`)).digest, b.digest);
    assert.equal((await openImage(`${dir}:@0`)).digest, a.digest);
    await assert.rejects(openImage(dir), (err) => isClairError(err, 'IMAGE_REFERENCE') && err.message === `${dir} holds 2 images: one, two; choose one with ${dir}:REF or ${dir}:@N`);
    await assert.rejects(openImage(`${dir}:three`), (err) => isClairError(err, 'IMAGE_NOT_FOUND') && err.message === `${dir} has no image named "three"; it holds one, two`);
  });

  it('resolves a multi-platform index by platform, and lists the platforms when none matches', async (t) => {
    const tmp = await tempDir(t);
    const amd = ociImage([await layerTar('arch', 'amd64')], { platform: { os: 'linux', architecture: 'amd64' } });
    const arm = ociImage([await layerTar('arch', 'arm64')], { platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } });
    const { dir, tar } = await writeLayout(tmp, [{ index: [amd, arm], ref: 'multi' }]);
    assert.equal((await openImage(dir)).digest, amd.digest, 'linux/amd64 by default');
    assert.equal((await openImage(tar, { platform: 'linux/arm64' })).digest, arm.digest);
    assert.equal((await openImage(`${dir}:multi`, { platform: 'linux/arm64/v8' })).digest, arm.digest);
    await assert.rejects(
      openImage(dir, { platform: 'linux/s390x' }),
      (err) => isClairError(err, 'IMAGE_NOT_FOUND') && /has no image for platform linux\/s390x; available: linux\/amd64, linux\/arm64\/v8/.test(err.message),
    );
    await assert.rejects(openImage(dir, { platform: 'linux' }), (err) => isClairError(err, 'IMAGE_REFERENCE') && /platform "linux" is not of the form os\/arch/.test(err.message));
  });

  it('chooses among platform-annotated index.json entries by platform', async (t) => {
    const tmp = await tempDir(t);
    const amd = ociImage([await layerTar('x', '1')], { platform: { os: 'linux', architecture: 'amd64' } });
    const arm = ociImage([await layerTar('x', '2')], { platform: { os: 'linux', architecture: 'arm64' } });
    const { dir } = await writeLayout(tmp, [
      { image: amd, withPlatform: true },
      { image: arm, withPlatform: true },
    ]);
    assert.equal((await openImage(dir, { platform: 'linux/arm64' })).digest, arm.digest);
  });

  it('reads the shared corpus layout when present', async (t) => {
    const dir = new URL('../../../../.test-images/oci/alpine', import.meta.url).pathname;
    const exists = await readFile(join(dir, 'index.json')).then(() => true, () => false);
    if (!exists) return t.skip('the test-image corpus (.test-images, built by ../shared) is absent');
    const image = await openImage(`${dir}:latest`);
    assert.equal(image.digest, 'sha256:57762fbe669605f2323e099164392f2d2273d7f38f93c19a07352544cf55b4ca');
    for (const layer of await layersServed(t, image)) assert.equal(sha256(layer.body), layer.hash);
  });

  describe('broken layouts are refused with a clear error', () => {
    it('a layer blob that is missing', async (t) => {
      const tmp = await tempDir(t);
      const layer = await layerTar('f', 'x');
      const image = ociImage([layer]);
      const { members } = ociLayoutMembers([{ image }]);
      const path = join(tmp, 'missing.tar');
      await writeTarFile(path, members.filter((m) => m.name !== `blobs/sha256/${sha256(layer).slice(7)}`));
      await assert.rejects(openImage(path), (err) => isClairError(err, 'IMAGE_INVALID') && err.message === `${path}: layer ${sha256(layer)} is missing from blobs/`);
    });

    it('a layer blob whose size disagrees with the manifest', async (t) => {
      const tmp = await tempDir(t);
      const layer = await layerTar('f', 'x');
      const image = ociImage([layer]);
      const { members } = ociLayoutMembers([{ image }]);
      const dir = join(tmp, 'layout');
      await writeDirectory(dir, members);
      await writeFile(join(dir, 'blobs/sha256', sha256(layer).slice(7)), layer.subarray(0, 1000));
      await assert.rejects(openImage(dir), (err) => isClairError(err, 'IMAGE_INVALID') && err.message === `${dir}: layer ${sha256(layer)} is 1000 bytes, but the manifest says ${layer.length}`);
    });

    it('index.json that is not JSON, or has no manifests', async (t) => {
      const tmp = await tempDir(t);
      const dir = join(tmp, 'layout');
      await writeDirectory(dir, [
        { name: 'oci-layout', data: '{"imageLayoutVersion":"1.0.0"}' },
        { name: 'index.json', data: '{"schemaVersion":2,' },
      ]);
      await assert.rejects(openImage(dir), (err) => isClairError(err, 'IMAGE_INVALID') && err.message.startsWith(`${dir}: index.json is not valid JSON`));
      await writeFile(join(dir, 'index.json'), '{"schemaVersion":2}');
      await assert.rejects(openImage(dir), (err) => isClairError(err, 'IMAGE_INVALID') && err.message === `${dir}: index.json: manifests is missing`);
      await writeFile(join(dir, 'index.json'), '{"schemaVersion":2,"manifests":[{"digest":"sha256:abc","size":1}]}');
      await assert.rejects(openImage(dir), (err) => isClairError(err, 'IMAGE_INVALID') && err.message === `${dir}: index.json: manifests[0].digest is not a digest: digest "sha256:abc" is not 64 lower-case hex characters`);
    });

    it('a manifest blob that does not match its digest', async (t) => {
      const tmp = await tempDir(t);
      const image = ociImage([await layerTar('f', 'x')]);
      const { members } = ociLayoutMembers([{ image }]);
      const dir = join(tmp, 'layout');
      await writeDirectory(dir, members);
      const tampered = Buffer.from(image.manifest.toString().replace('"schemaVersion":2', '"schemaVersion":3'));
      await writeFile(join(dir, 'blobs/sha256', image.digest.slice(7)), tampered);
      await assert.rejects(openImage(dir), (err) => isClairError(err, 'IMAGE_INVALID') && err.message === `${dir}: blob ${image.digest} does not match its digest`);
    });
  });
});
