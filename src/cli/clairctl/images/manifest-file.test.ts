import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isClairError } from '../../../lib/errors.js';
import { openImage } from './index.js';
import { sha256, tempDir } from '../../../test-support/image-archives.js';

const HASH = sha256('manifest');
const LAYER = sha256('layer');

describe('Clair manifest files', () => {
  it('are used as they are, keeping headers and media types and dropping unknown fields', async (t) => {
    const dir = await tempDir(t);
    const path = join(dir, 'manifest.json');
    const layer = { hash: LAYER, uri: 'https://registry.example/v2/app/blobs/x', headers: { Authorization: ['Bearer t'] }, media_type: 'application/vnd.oci.image.layer.v1.tar+gzip', extra: 1 };
    await writeFile(path, `\n  ${JSON.stringify({ hash: HASH, layers: [layer, { hash: LAYER, uri: 'http://x/y' }], note: 'ignored' })}`);
    const image = await openImage(path, { platform: 'linux/arm64' });
    assert.equal(image.name, path);
    assert.equal(image.digest, HASH);
    assert.equal(image.local, false);
    assert.deepEqual(image.manifest(), {
      hash: HASH,
      layers: [
        { hash: LAYER, uri: 'https://registry.example/v2/app/blobs/x', headers: { Authorization: ['Bearer t'] }, media_type: 'application/vnd.oci.image.layer.v1.tar+gzip' },
        { hash: LAYER, uri: 'http://x/y' },
      ],
    });
    await image.close();
  });

  const invalid: Array<[string, unknown, string]> = [
    ['no hash', { layers: [] }, 'is not a Clair manifest: it has no "hash" field'],
    ['no layers', { hash: HASH }, 'is not a Clair manifest: it has no "layers" field'],
    ['a bad hash', { hash: 'md5:abc', layers: [] }, ': hash is not a digest: digest algorithm "md5" is not supported'],
    ['layers not an array', { hash: HASH, layers: {} }, ': layers is not an array'],
    ['a layer without a uri', { hash: HASH, layers: [{ hash: LAYER }] }, ': layers[0].uri is missing'],
    ['a layer with a bad hash', { hash: HASH, layers: [{ hash: 'sha256:zz', uri: 'http://x/' }] }, ': layers[0].hash is not a digest: digest "sha256:zz" is not 64 lower-case hex characters'],
    ['a relative uri', { hash: HASH, layers: [{ hash: LAYER, uri: '/blobs/x' }] }, ': layers[0].uri is not an absolute URL'],
    ['a file uri', { hash: HASH, layers: [{ hash: LAYER, uri: 'file:///etc/passwd' }] }, ': layers[0].uri uses file, not http or https'],
    ['headers that are not arrays', { hash: HASH, layers: [{ hash: LAYER, uri: 'http://x/', headers: { A: 'b' } }] }, ': layers[0].headers["A"] is not an array of strings'],
  ];
  for (const [what, body, message] of invalid) {
    it(`refuse ${what}, naming the field`, async (t) => {
      const dir = await tempDir(t);
      const path = join(dir, 'manifest.json');
      await writeFile(path, JSON.stringify(body));
      await assert.rejects(openImage(path), (err) => isClairError(err, 'IMAGE_INVALID') && err.message === `${path}${message.startsWith(':') ? '' : ' '}${message}`);
    });
  }

  it('refuse a file that is not JSON', async (t) => {
    const dir = await tempDir(t);
    const path = join(dir, 'broken.json');
    await writeFile(path, '{"hash": ');
    await assert.rejects(openImage(path), (err) => isClairError(err, 'IMAGE_INVALID') && err.message.startsWith(`${path} is not valid JSON: `));
  });
});
