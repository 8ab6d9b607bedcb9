import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { memoryLayer } from '../../test-support/memory-layer-fs.js';
import { ENTRIES_PER_TURN } from './layer-files.js';
import { compareWalkOrder, selectInWalkOrder } from './walk-order.js';

/** The comparison as first written: a Buffer per segment per comparison, obviously right and slow. */
function referenceOrder(a: string, b: string): number {
  const as = a.split('/');
  const bs = b.split('/');
  for (let i = 0; i < Math.min(as.length, bs.length); i++) {
    const c = Buffer.compare(Buffer.from(as[i]!, 'utf8'), Buffer.from(bs[i]!, 'utf8'));
    if (c !== 0) return c;
  }
  return Math.sign(as.length - bs.length);
}

const TRICKY = [
  'a', 'a/b', 'a-b', 'a.b', 'a/b/c', 'a/b-c', 'a/bc', 'ab', 'a b', 'a\u0000', 'A', 'Z', '_', '~',
  'usr/lib/rpm', 'usr/lib/rpm/Packages', 'usr/lib/rpm-ostree', 'usr/lib64', 'var/lib/rpm/Packages.db', 'var/lib/rpm/rpmdb.sqlite',
  '\u00e9', 'e\u0301', '\u00ff', '\u0100', '\u07ff', '\u0800', '\uffff', '\ue000', '\ufffd', '\ud83d\ude00', '\ud83d\ude00/x', '\ud800', '\udc00x',
  '\ud83d\ude00a', '\uff21', 'x/\ud83d\ude00', 'x/\uffff', 'x/\ud800', 'x/\ufffd',
];

describe('compareWalkOrder', () => {
  it('orders paths as Go walks them: segment by segment, UTF-8 bytes within a segment', () => {
    for (const a of TRICKY) {
      for (const b of TRICKY) assert.equal(Math.sign(compareWalkOrder(a, b)), referenceOrder(a, b), `${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
    }
  });

  it('agrees with the per-segment byte comparison on random paths', () => {
    const alphabet = ['a', 'b', '/', '-', '.', '\u00e9', '\uffff', '\ud83d\ude00', '0'];
    let seed = 42;
    const random = (n: number): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed % n;
    };
    const path = (): string => {
      const segments = Array.from({ length: 1 + random(4) }, () => Array.from({ length: 1 + random(4) }, () => alphabet[random(alphabet.length)]!).join('').replaceAll('/', ''));
      return segments.map((s) => (s === '' ? 'a' : s)).join('/');
    };
    for (let i = 0; i < 20_000; i++) {
      const a = path();
      const b = random(4) === 0 ? a : path();
      assert.equal(Math.sign(compareWalkOrder(a, b)), referenceOrder(a, b), `${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
    }
  });
});

describe('selectInWalkOrder', () => {
  it('returns the selected entries in walk order, whatever the archive order', async () => {
    const layer = memoryLayer([
      { path: 'b/Packages', content: 'x' },
      { path: 'a-b/Packages', content: 'x' },
      { path: 'a/z/Packages', content: 'x' },
      { path: 'a/Packages.db', content: 'x' },
      { path: 'a/Packages', content: 'x' },
      { path: 'a/other', content: 'x' },
    ]);
    const found = await selectInWalkOrder(layer, (e) => e.path.includes('Packages'));
    assert.deepEqual(found.map((e) => e.path), ['a/Packages', 'a/Packages.db', 'a/z/Packages', 'a-b/Packages', 'b/Packages']);
  });

  it('lets the event loop turn every few thousand entries', async () => {
    const layer = memoryLayer(Array.from({ length: 5 * ENTRIES_PER_TURN }, (_, i) => ({ path: `d${i % 7}/f${i}`, content: '' })));
    let turns = 0;
    let ticking = true;
    const tick = (): void => {
      turns++;
      if (ticking) setImmediate(tick);
    };
    setImmediate(tick);
    const found = await selectInWalkOrder(layer, () => false);
    ticking = false;
    assert.deepEqual(found, []);
    assert.ok(turns >= 5, `the loop turned ${turns} times`);
  });
});
