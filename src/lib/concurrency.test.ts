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

describe('limiter', () => {
  it('runs at most max at once and settles like the wrapped call', async () => {
    const { limiter } = await import('./concurrency.js');
    const limit = limiter(2);
    let running = 0;
    let peak = 0;
    const job = (n: number) => limit(async () => {
      running++;
      peak = Math.max(peak, running);
      await sleep(5);
      running--;
      if (n === 3) throw new Error('three');
      return n;
    });
    const results = await Promise.allSettled([1, 2, 3, 4, 5].map(job));
    assert.equal(peak, 2);
    assert.deepEqual(results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message)), [1, 2, 'three', 4, 5]);
  });
});
