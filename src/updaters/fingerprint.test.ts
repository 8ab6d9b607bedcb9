import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { conditionalHeaders, fingerprintOf } from './fingerprint.js';

const DATE = 'Fri, 20 Sep 2024 08:00:00 GMT';

describe('validator fingerprints', () => {
  it('prefers Last-Modified for Debian and the ETag for Ubuntu, as claircore does', () => {
    assert.equal(fingerprintOf('last-modified', { etag: '"a"', lastModified: DATE }), DATE);
    assert.equal(fingerprintOf('etag', { etag: '"a"', lastModified: DATE }), '"a"');
    assert.equal(fingerprintOf('etag', { lastModified: DATE }), DATE);
    assert.equal(fingerprintOf('last-modified', { etag: 'W/"b"' }), 'W/"b"');
  });

  it('falls back to the body digest, and ignores malformed validators', () => {
    assert.equal(fingerprintOf('etag', { etag: 'unquoted', lastModified: 'yesterday', sha256: 'ff' }), 'sha256:ff');
    assert.equal(fingerprintOf('etag', {}), undefined);
  });

  it('replays a fingerprint as the matching conditional header', () => {
    assert.deepEqual(conditionalHeaders('"a"'), { 'if-none-match': '"a"' });
    assert.deepEqual(conditionalHeaders('W/"a"'), { 'if-none-match': 'W/"a"' });
    assert.deepEqual(conditionalHeaders(DATE), { 'if-modified-since': DATE });
    assert.deepEqual(conditionalHeaders('sha256:ff'), {});
    assert.deepEqual(conditionalHeaders(undefined), {});
    assert.deepEqual(conditionalHeaders('garbage'), {});
  });
});
