import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fingerprintVersion, formatFingerprint, parseFingerprint, rfc3339Seconds } from './fingerprint.js';

describe('fingerprint', () => {
  // claircore rhel/vex updater_test.go TestFingerprintRoundTrip.
  it('round-trips claircore\'s format', () => {
    const text = 'one\\two\\2006-01-02T15:04:05Z\\1';
    const parsed = parseFingerprint(text);
    assert.ok(parsed.ok);
    assert.deepEqual(parsed.fingerprint, { changesEtag: 'one', deletionsEtag: 'two', requestTime: '2006-01-02T15:04:05Z', version: '1' });
    assert.equal(formatFingerprint(parsed.fingerprint), text);
  });

  for (const [name, text] of [
    ['date error', 'one\\two\\2006-01-02T15:04:05ZMore\\1'],
    ['etag error', 'one\\tw\\o\\2006-01-02T15:04:05Z\\123'],
    ['missing version error', 'one\\tw\\o\\2006-01-02T15:04:05Z'],
    ['not ours', '"W/abc"'],
  ] as const) {
    it(`rejects: ${name}`, () => assert.equal(parseFingerprint(text).ok, false));
  }

  it('encodes options in the version, as claircore', () => {
    assert.equal(fingerprintVersion({ ignoreKernelPackages: false }), '6');
    assert.equal(fingerprintVersion({ ignoreKernelPackages: true }), '6+ignore_kernel');
  });

  it('writes UTC times with whole seconds', () => {
    assert.equal(rfc3339Seconds(new Date('2024-03-01T10:00:00.789Z')), '2024-03-01T10:00:00Z');
  });
});
