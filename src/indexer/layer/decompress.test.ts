import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { isClairError } from '../../lib/errors.js';
import { buildTar, gzip, zstdRaw, zstdSkippable } from '../../test-support/layer-builder.js';
import { checkCompression, compressionOfMediaType, detectCompression, DigestTap } from './decompress.js';

const DIGEST = `sha256:${'00'.repeat(32)}`;

describe('detectCompression', () => {
  it('recognises gzip, zstd (also after a skippable frame), bzip2 and everything else as tar', () => {
    const tar = buildTar([{ path: 'a', content: 'x' }]);
    assert.equal(detectCompression(gzip(tar)), 'gzip');
    assert.equal(detectCompression(zstdRaw(tar)), 'zstd');
    assert.equal(detectCompression(zstdSkippable(Buffer.from('m'))), 'zstd');
    assert.equal(detectCompression(Buffer.from('BZh91AY&SY')), 'bzip2');
    assert.equal(detectCompression(Buffer.from('BZh0')), 'none');
    assert.equal(detectCompression(Buffer.from([0x1f, 0x8b, 0x07])), 'none');
    assert.equal(detectCompression(tar), 'none');
    assert.equal(detectCompression(Buffer.alloc(0)), 'none');
  });
});

describe('compressionOfMediaType', () => {
  const table: Array<[string | undefined, string | undefined]> = [
    [undefined, 'neutral'],
    ['', 'neutral'],
    ['text/plain', 'neutral'],
    ['application/octet-stream', 'neutral'],
    ['binary/octet-stream', 'neutral'],
    ['Application/Octet-Stream; charset=binary', 'neutral'],
    ['application/vnd.docker.image.rootfs.diff.tar.gzip', 'gzip'],
    ['application/vnd.docker.image.rootfs.foreign.diff.tar.gzip', 'gzip'],
    ['application/gzip', 'gzip'],
    ['application/x-gzip', 'gzip'],
    ['application/vnd.oci.image.layer.v1.tar+gzip', 'gzip'],
    ['application/vnd.oci.image.layer.nondistributable.v1.tar+gzip', 'gzip'],
    ['application/zstd', 'zstd'],
    ['application/vnd.oci.image.layer.v1.tar+zstd', 'zstd'],
    ['application/x-tar', 'none'],
    ['application/vnd.oci.image.layer.v1.tar', 'none'],
    ['text/html', undefined],
    ['application/json', undefined],
  ];
  for (const [type, want] of table) {
    it(`maps ${JSON.stringify(type)} to ${String(want)}`, () => assert.equal(compressionOfMediaType(type), want));
  }
});

describe('checkCompression', () => {
  const fails = (fn: () => unknown, pattern: RegExp): void =>
    assert.throws(fn, (err) => {
      assert.ok(isClairError(err, 'LAYER_FORMAT'));
      assert.match(err.message, pattern);
      return true;
    });

  it('refuses bzip2', () => fails(() => checkCompression('bzip2', { digest: DIGEST }), /bzip2/));

  it('derives compression from the bytes when the Content-Type is neutral', () => {
    assert.equal(checkCompression('zstd', { digest: DIGEST, contentType: 'application/octet-stream' }), 'zstd');
    assert.equal(checkCompression('none', { digest: DIGEST }), 'none');
  });

  it('refuses a Content-Type that disagrees with the bytes or is unknown', () => {
    fails(() => checkCompression('gzip', { digest: DIGEST, contentType: 'application/x-tar' }), /gzip data does not match Content-Type/);
    fails(() => checkCompression('none', { digest: DIGEST, contentType: 'application/gzip' }), /uncompressed data/);
    fails(() => checkCompression('gzip', { digest: DIGEST, contentType: 'image/png' }), /unknown Content-Type/);
  });

  it('checks declared compression suffixes but treats a declared plain tar as neutral', () => {
    fails(() => checkCompression('gzip', { digest: DIGEST, mediaType: 'application/vnd.oci.image.layer.v1.tar+zstd' }), /media type/);
    fails(() => checkCompression('gzip', { digest: DIGEST, mediaType: 'application/octet-stream' }), /unsupported media type/);
    assert.equal(checkCompression('gzip', { digest: DIGEST, mediaType: 'application/vnd.oci.image.layer.v1.tar' }), 'gzip');
    assert.equal(checkCompression('zstd', { digest: DIGEST, mediaType: 'application/vnd.oci.image.layer.v1.tar+zstd', contentType: 'application/octet-stream' }), 'zstd');
  });
});

describe('DigestTap', () => {
  it('passes bytes through, counts them and verifies the digest', async () => {
    const data = Buffer.from('layer bytes');
    const { createHash } = await import('node:crypto');
    const good = new DigestTap(`sha256:${createHash('sha256').update(data).digest('hex')}`);
    const out: Buffer[] = [];
    good.on('data', (c: Buffer) => out.push(c));
    good.end(data);
    await new Promise((r) => good.on('end', r));
    assert.deepEqual(Buffer.concat(out), data);
    assert.equal(good.bytes, data.length);
    good.verify();

    const bad = new DigestTap(DIGEST);
    bad.resume();
    bad.end(data);
    await new Promise((r) => bad.on('end', r));
    assert.throws(() => bad.verify(), (err) => isClairError(err, 'LAYER_DIGEST_MISMATCH'));
  });
});
