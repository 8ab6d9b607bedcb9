import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ReadableStream } from 'node:stream/web';
import { setTimeout as delay } from 'node:timers/promises';
import { minRateBody, SlowBodyError } from './min-rate.js';

/** A web stream that yields `chunks` bytes, waiting `gapMs` before each. */
function source(chunks: number, size: number, gapMs: number): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (sent === chunks) return controller.close();
      await delay(gapMs);
      sent++;
      controller.enqueue(new Uint8Array(size));
    },
  }, { highWaterMark: 0 });
}

/** Reads `body` to its end; with `pauseMs`, stops reading for that long after every chunk. */
function drain(body: NodeJS.ReadableStream, pauseMs = 0): Promise<number> {
  let n = 0;
  return new Promise((resolve, reject) => {
    body.on('data', (chunk: Buffer) => {
      n += chunk.length;
      if (pauseMs === 0) return;
      body.pause();
      setTimeout(() => body.resume(), pauseMs);
    });
    body.once('end', () => resolve(n));
    body.once('error', reject);
  });
}

describe('minimum body rate', () => {
  it('passes a body that keeps up the rate', async () => {
    assert.equal(await drain(minRateBody(source(20, 100, 10), { minBytesPerSecond: 1000, windowMs: 100 })), 2000);
  });

  it('abandons a trickle once a full window was below the rate, naming the setting', async () => {
    const started = performance.now();
    await assert.rejects(drain(minRateBody(source(1000, 1, 50), { minBytesPerSecond: 1000, windowMs: 300 })), (err) => {
      assert.ok(err instanceof SlowBodyError);
      assert.equal(err.message, 'the body arrived slower than 1000 bytes/s over 0.3s (indexer.layer_fetch.min_bytes_per_second)');
      return true;
    });
    const elapsed = performance.now() - started;
    assert.ok(elapsed >= 290 && elapsed < 1500, `abandoned after ${elapsed} ms`);
  });

  it('abandons a body that stalls with no bytes at all', async () => {
    const stalled = new ReadableStream<Uint8Array>({ pull: () => new Promise(() => {}) });
    const started = performance.now();
    await assert.rejects(drain(minRateBody(stalled, { minBytesPerSecond: 1, windowMs: 200 })), SlowBodyError);
    assert.ok(performance.now() - started < 1500);
  });

  it('does not blame the server for a slow reader', async () => {
    // The server sends 16 KiB every 5 ms (3.2 MB/s); the reader takes 50 ms over each chunk,
    // so past the stream's buffer only 320 kB/s arrive by the wall clock, below the 1 MB/s minimum.
    const started = performance.now();
    assert.equal(await drain(minRateBody(source(20, 16_384, 5), { minBytesPerSecond: 1_000_000, windowMs: 50 }), 50), 20 * 16_384);
    assert.ok(performance.now() - started > 900, 'the reader was the slow side');
  });
});
