import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { open, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isClairError } from '../../../lib/errors.js';
import { indexTar, resolveEntry } from './tar-index.js';
import { tempDir, writeTarFile } from '../../../test-support/image-archives.js';

describe('tar index', () => {
  it('records where each member\'s bytes start, long (PAX) names included, and resolves links', async (t) => {
    const dir = await tempDir(t);
    const path = join(dir, 'x.tar');
    const longName = `${'deep/'.repeat(40)}file.txt`;
    await writeTarFile(path, [
      { name: './a.txt', data: 'alpha' },
      { name: longName, data: 'long' },
      { name: 'sub/', type: 'directory' },
      { name: 'sub/link', type: 'symlink', linkname: '../a.txt' },
      { name: 'abs', type: 'symlink', linkname: '/sub/link' },
      { name: 'loop', type: 'symlink', linkname: 'loop' },
    ]);
    const entries = await indexTar(path);
    const bytes = await readFile(path);
    const a = entries.get('a.txt')!;
    assert.equal(bytes.subarray(a.offset, a.offset + a.size).toString(), 'alpha');
    const long = entries.get(longName)!;
    assert.equal(bytes.subarray(long.offset, long.offset + long.size).toString(), 'long');
    assert.equal(entries.get('sub')!.type, 'directory');
    assert.equal(resolveEntry(entries, 'sub/link'), a);
    assert.equal(resolveEntry(entries, 'abs'), a);
    assert.equal(resolveEntry(entries, 'loop'), undefined);
    assert.equal(resolveEntry(entries, 'sub'), undefined);
    assert.equal(resolveEntry(entries, 'missing'), undefined);
  });

  it('refuses a corrupt header and a truncated member, naming where', async (t) => {
    const dir = await tempDir(t);
    const path = join(dir, 'x.tar');
    await writeTarFile(path, [
      { name: 'one', data: 'x' },
      { name: 'two', data: 'y'.repeat(3000) },
    ]);
    const original = await readFile(path);
    const corrupt = Buffer.from(original);
    corrupt[1024] = corrupt[1024]! ^ 0xff; // the second header's first byte
    await writeFile(path, corrupt);
    await assert.rejects(indexTar(path), (err) => isClairError(err, 'IMAGE_INVALID') && err.message === `${path}: corrupt tar header at offset 1024`);
    await writeFile(path, original.subarray(0, 2048));
    await assert.rejects(indexTar(path), (err) => isClairError(err, 'IMAGE_INVALID') && err.message === `${path}: truncated tar archive: entry "two" needs ${1536 + 3000 - 2048} bytes past the end of the file`);
    const handle = await open(path, 'w');
    await handle.close();
    await assert.rejects(indexTar(path), (err) => isClairError(err, 'IMAGE_INVALID') && err.message === `${path}: empty file, not a tar archive`);
  });
});
