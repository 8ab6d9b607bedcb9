import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildZip } from '../test-support/jar-builder.js';
import { zipMembers } from './zip.js';

describe('zip reader', () => {
  it('refuses a member declaring more than the limit with a plain error naming it, not a RangeError (found by fuzzing)', async () => {
    const zip = buildZip([{ name: 'big.json', content: 'x'.repeat(300), method: 'deflate' }]);
    const drain = async () => {
      for await (const _ of zipMembers(zip, { maxEntryBytes: 256, names: 'checked' })) {
        // drained
      }
    };
    await assert.rejects(drain(), (err: unknown) => {
      assert.ok(err instanceof Error && !(err instanceof RangeError), String(err));
      assert.equal(err.message, 'zip: big.json declares 300 bytes, more than 256');
      return true;
    });
  });
});
