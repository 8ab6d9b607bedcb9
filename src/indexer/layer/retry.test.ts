import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { backoffDelay, parseRetryAfter, sleep } from './retry.js';

const policy = { attempts: 5, baseDelayMs: 100, maxDelayMs: 1000 };

describe('backoffDelay', () => {
  it('doubles per failure with jitter in the upper half, capped', () => {
    for (let i = 0; i < 200; i++) {
      const first = backoffDelay(1, policy);
      const third = backoffDelay(3, policy);
      const tenth = backoffDelay(10, policy);
      assert.ok(first >= 50 && first <= 100, String(first));
      assert.ok(third >= 200 && third <= 400, String(third));
      assert.ok(tenth >= 500 && tenth <= 1000, String(tenth));
    }
  });

  it('waits at least a longer Retry-After, still capped', () => {
    assert.equal(backoffDelay(1, policy, 700), 700);
    assert.equal(backoffDelay(1, policy, 60_000), 1000);
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates', () => {
    assert.equal(parseRetryAfter('3'), 3000);
    assert.equal(parseRetryAfter(null), undefined);
    assert.equal(parseRetryAfter('soon'), undefined);
    const ms = parseRetryAfter(new Date(Date.now() + 10_000).toUTCString())!;
    assert.ok(ms > 8000 && ms <= 10_000);
  });
});

describe('sleep', () => {
  it('rejects with the abort reason', async () => {
    const controller = new AbortController();
    const reason = new Error('stop');
    setTimeout(() => controller.abort(reason), 10);
    await assert.rejects(sleep(10_000, controller.signal), (err) => err === reason);
  });
});
