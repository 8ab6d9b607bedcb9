import { describe, it, mock } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_TIMER_MS, Periodic } from './periodic.js';

describe('Periodic', () => {
  it('waits out an interval longer than setTimeout allows (24.8 days) instead of running at once', async () => {
    mock.timers.enable({ apis: ['setTimeout'] });
    try {
      let runs = 0;
      const day = 24 * 3_600_000;
      const p = new Periodic({ run: async () => void runs++, intervalMs: 40 * day, onError: (err) => assert.fail(String(err)) });
      p.start();
      mock.timers.tick(1);
      mock.timers.tick(MAX_TIMER_MS);
      await Promise.resolve();
      assert.equal(runs, 0, 'not yet: 40 days have not passed');
      mock.timers.tick(40 * day - MAX_TIMER_MS + 10);
      await new Promise((r) => setImmediate(r));
      assert.equal(runs, 1);
      await p.stop();
    } finally {
      mock.timers.reset();
    }
  });
});
