import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { mapLimit } from './concurrency.js';

describe('mapLimit', () => {
  it('keeps order and never exceeds the limit', async () => {
    let running = 0;
    let peak = 0;
    const out = await mapLimit([5, 1, 4, 2, 3], 2, async (n) => {
      running++;
      peak = Math.max(peak, running);
      await sleep(n * 3);
      running--;
      return n * 10;
    });
    assert.deepEqual(out, [50, 10, 40, 20, 30]);
    assert.equal(peak, 2);
  });

  it('rejects with the first error after in-flight calls settle, starting no new ones', async () => {
    const started: number[] = [];
    let settled = 0;
    await assert.rejects(
      mapLimit([1, 2, 3, 4], 2, async (n) => {
        started.push(n);
        if (n === 1) throw new Error('first');
        await sleep(10);
        settled++;
        return n;
      }),
      /first/,
    );
    assert.deepEqual(started, [1, 2]);
    assert.equal(settled, 1);
  });

  it('handles an empty list', async () => {
    assert.deepEqual(await mapLimit([], 4, async () => 1), []);
  });
});
