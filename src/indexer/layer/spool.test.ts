import { strict as assert } from 'node:assert';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { isClairError } from '../../lib/errors.js';
import { Spool, SpoolBudget } from './spool.js';

function dir(t: TestContext): string {
  const d = mkdtempSync(join(tmpdir(), 'clair-spool-test-'));
  t.after(() => rmSync(d, { recursive: true, force: true }));
  return d;
}

async function collect(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe('Spool', () => {
  it('appends, then reads ranges and streams them, concurrently', async (t) => {
    const spool = await Spool.create({ dir: dir(t) });
    const data = Buffer.from(Array.from({ length: 200_000 }, (_, i) => i % 256));
    await spool.append(data.subarray(0, 150_000));
    await spool.append(data.subarray(150_000));
    assert.equal(spool.size, data.length);
    assert.deepEqual(await spool.read(1000, 5000), data.subarray(1000, 6000));
    const [a, b, empty] = await Promise.all([
      collect(spool.createReadStream(0, 200_000)),
      collect(spool.createReadStream(99_999, 70_001)),
      collect(spool.createReadStream(5, 0)),
    ]);
    assert.deepEqual(a, data);
    assert.deepEqual(b, data.subarray(99_999, 170_000));
    assert.equal(empty.length, 0);
    await spool.remove();
  });

  it('is unlinked once open by default; otherwise deleted by remove()', async (t) => {
    const d = dir(t);
    const hidden = await Spool.create({ dir: d });
    assert.deepEqual(readdirSync(d), []);
    await hidden.append(Buffer.from('still readable'));
    assert.equal((await hidden.read(0, 5)).toString(), 'still');
    await hidden.remove();

    const visible = await Spool.create({ dir: d, unlinkEarly: false });
    assert.equal(readdirSync(d).length, 1);
    await visible.remove();
    await visible.remove();
    assert.ok(visible.removed);
    assert.deepEqual(readdirSync(d), []);
  });

  it('enforces its own cap and a shared budget, releasing the budget on remove', async (t) => {
    const d = dir(t);
    const capped = await Spool.create({ dir: d, maxBytes: 10 });
    await capped.append(Buffer.alloc(10));
    await assert.rejects(capped.append(Buffer.alloc(1)), (err) => isClairError(err, 'LAYER_SPOOL_FULL'));
    await capped.remove();

    const budget = new SpoolBudget(100);
    const a = await Spool.create({ dir: d, budget });
    const b = await Spool.create({ dir: d, budget });
    await a.append(Buffer.alloc(60));
    await assert.rejects(b.append(Buffer.alloc(50)), (err) => isClairError(err, 'LAYER_SPOOL_FULL'));
    assert.equal(budget.used, 60);
    await a.remove();
    assert.equal(budget.used, 0);
    await b.append(Buffer.alloc(50));
    await b.remove();
  });
});
