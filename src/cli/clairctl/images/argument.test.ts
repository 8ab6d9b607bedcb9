import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isClairError } from '../../../lib/errors.js';
import { classifyImage } from './argument.js';
import { tempDir } from '../../../test-support/image-archives.js';

describe('IMAGE arguments', () => {
  it('are told apart in the documented order', async (t) => {
    const dir = await tempDir(t);
    const json = join(dir, 'm.json');
    await writeFile(json, ' {"hash":"x"}');
    const tar = join(dir, 'a.tar');
    await writeFile(tar, 'anything not JSON');
    const layout = join(dir, 'layout');
    await mkdir(layout);
    await writeFile(join(layout, 'oci-layout'), '{}');
    const plain = join(dir, 'plain');
    await mkdir(plain);

    assert.deepEqual(await classifyImage(json), { kind: 'manifest-file', path: json });
    assert.deepEqual(await classifyImage(tar), { kind: 'local', format: 'auto', path: tar, selector: undefined });
    assert.deepEqual(await classifyImage(`${tar}:repo:tag`), { kind: 'local', format: 'auto', path: tar, selector: 'repo:tag' });
    assert.deepEqual(await classifyImage(`${layout}:latest`), { kind: 'local', format: 'auto', path: layout, selector: 'latest' });
    assert.deepEqual(await classifyImage(`docker-archive:${tar}:@1`), { kind: 'local', format: 'docker-archive', path: tar, selector: '@1' });
    assert.deepEqual(await classifyImage(`oci:${layout}`), { kind: 'local', format: 'oci', path: layout, selector: undefined });
    assert.deepEqual(await classifyImage(`oci-archive:${tar}:v1`), { kind: 'local', format: 'oci', path: tar, selector: 'v1' });
    assert.deepEqual(await classifyImage('alpine:3.19'), { kind: 'registry', reference: { registry: 'index.docker.io', repository: 'library/alpine', tag: '3.19' } });
    assert.deepEqual(await classifyImage('docker://oci:tag'), { kind: 'registry', reference: { registry: 'index.docker.io', repository: 'library/oci', tag: 'tag' } });
  });

  it('say plainly when a path does not exist', async () => {
    await assert.rejects(classifyImage('./missing.tar'), (err) => isClairError(err, 'IMAGE_REFERENCE') && err.message === 'no such file or directory: ./missing.tar');
    await assert.rejects(classifyImage('/nowhere/image'), (err) => isClairError(err, 'IMAGE_REFERENCE') && err.message === 'no such file or directory: /nowhere/image');
    await assert.rejects(classifyImage('oci:/nowhere:tag'), (err) => isClairError(err, 'IMAGE_REFERENCE') && err.message === 'oci:/nowhere:tag: no such file or directory: /nowhere');
  });

  it('explain a directory that is no image when it is no reference either', async (t) => {
    const dir = await tempDir(t);
    await assert.rejects(classifyImage(dir), (err) => isClairError(err, 'IMAGE_REFERENCE') && err.message.startsWith(`${dir} is a directory but neither an OCI layout`));
  });

  it('refuse an empty argument and a bad reference', async () => {
    await assert.rejects(classifyImage(''), (err) => isClairError(err, 'IMAGE_REFERENCE') && err.message === 'an image argument is empty');
    await assert.rejects(classifyImage('Alpine'), (err) => isClairError(err, 'IMAGE_REFERENCE') && /repository "Alpine" may only hold lower-case/.test(err.message));
  });
});
