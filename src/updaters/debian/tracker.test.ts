import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { collect } from '../../test-support/feed-server.js';
import { testContext } from '../../test-support/dpkg-feeds.js';
import { readTracker } from './tracker.js';

async function itemsOf(json: string): Promise<unknown[]> {
  const ctx = await testContext();
  try {
    const file = join(ctx.dir, 'tracker.json');
    await writeFile(file, json);
    return await collect(readTracker(file));
  } finally {
    await ctx.cleanup();
  }
}

describe('debian tracker reader', () => {
  it('yields every CVE object with its source package, in document order', async () => {
    const json = JSON.stringify({
      a: { 'CVE-1': { releases: { bookworm: { status: 'open', nested: [{ x: 1 }, [2]] } } }, 'CVE-2': { description: 'd' } },
      b: { 'CVE-3': {} },
    });
    assert.deepEqual(await itemsOf(json), [
      ['a', 'CVE-1', { releases: { bookworm: { status: 'open', nested: [{ x: 1 }, [2]] } } }],
      ['a', 'CVE-2', { description: 'd' }],
      ['b', 'CVE-3', {}],
    ]);
  });

  it('walks past values that are not objects at the package or CVE level', async () => {
    const json = '{"odd": [{"CVE-9": {}}], "scalar": 3, "nul": null, "c": {"CVE-4": [1, {"x": 2}], "CVE-5": "text", "CVE-6": {"ok": true}}, "empty": {}}';
    assert.deepEqual(await itemsOf(json), [['c', 'CVE-6', { ok: true }]]);
  });

  it('reads an empty document', async () => {
    assert.deepEqual(await itemsOf('{}'), []);
  });

  for (const [what, json] of [['a scalar top level', '"x"'], ['an array top level', '[]']] as const) {
    it(`rejects ${what}`, async () => {
      await assert.rejects(itemsOf(json), /debian: malformed tracker JSON .*: the top level is not an object/);
    });
  }
});
