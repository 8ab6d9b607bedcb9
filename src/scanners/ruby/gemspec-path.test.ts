import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isGemspecPath } from './package-scanner.js';

/** claircore's `.*\/specifications\/.+\.gemspec` with Go's `.` (anything but `\n`), unanchored as `MatchString`. */
const GO_PATTERN = /[^\n]*\/specifications\/[^\n]+\.gemspec/;
/** The JavaScript regex the scanner used to run; its `.` also stops at `\r`, U+2028 and U+2029. */
const JS_PATTERN = /.*\/specifications\/.+\.gemspec/;

const TRICKY = [
  'usr/local/bundle/specifications/rails-7.1.3.gemspec',
  'specifications/rails.gemspec', // no slash before: the pattern needs one
  '/specifications/rails.gemspec',
  'a/specifications/.gemspec', // nothing between
  'a/specifications/x.gemspec',
  'a/specifications/.gemspec.gemspec',
  'a/specifications/x.gemspec.bak', // unanchored: a suffix is allowed
  'a/specifications/x.gemspecs',
  'a/specifications/x/y.gemspec',
  'a/specifications//.gemspec',
  'a/specification/x.gemspec',
  'a/Specifications/x.gemspec',
  'a/specifications/x.GEMSPEC',
  'a/specifications/x\n.gemspec', // Go's `.` stops at a newline
  'a/specifications/\nx.gemspec',
  'a/specifications/x\n/specifications/y.gemspec', // but a later line can match
  'a/specifications/x.gemspec\n',
  'a\n/specifications/x.gemspec',
  'a/specifications/x\r.gemspec', // Go's `.` matches `\r`
  'a/specifications/x\u2028.gemspec',
  'a/specifications/specifications/.gemspec',
  'a/specifications/specifications/x.gemspec',
  'a/specifications/',
  'a/specifications/x',
  '.gemspec/specifications/x',
  'x.gemspec/specifications/',
  'a/specifications/x.gemspe',
  'a/specifications/ab.gemspec',
  '',
];

describe('isGemspecPath', () => {
  it('matches exactly what claircore\'s pattern matches', () => {
    for (const path of TRICKY) assert.equal(isGemspecPath(path), GO_PATTERN.test(path), JSON.stringify(path));
  });

  it('agrees with the old JavaScript pattern wherever Go and JavaScript agree on `.`', () => {
    for (const path of TRICKY) {
      if (/[\r\u2028\u2029]/.test(path)) continue;
      assert.equal(isGemspecPath(path), JS_PATTERN.test(path), JSON.stringify(path));
    }
  });

  it('agrees with claircore\'s pattern on every short path over a small alphabet', () => {
    const pieces = ['/specifications/', '.gemspec', 'x', '/', '\n', '.', 'specifications'];
    let count = 0;
    const visit = (prefix: string, depth: number): void => {
      assert.equal(isGemspecPath(prefix), GO_PATTERN.test(prefix), JSON.stringify(prefix));
      count++;
      if (depth === 0) return;
      for (const p of pieces) visit(prefix + p, depth - 1);
    };
    visit('', 5);
    assert.ok(count > 19_000);
  });

  it('takes time linear in the path: a 4,000-segment path in well under a millisecond', () => {
    const hostile: Array<[string, boolean]> = [
      ['specifications/'.repeat(4000), false], // the old pattern backtracked over every `/specifications/`
      [`${'a/'.repeat(4000)}specifications/x`, false],
      ['a/specifications/x\n'.repeat(4000), false],
      [`a/specifications/${'x.gemspe'.repeat(4000)}`, false],
      [`${'a/specifications/'.repeat(4000)}x.gemspec`, true],
      [`${'a/specifications/x\n'.repeat(4000)}a/specifications/x.gemspec`, true],
    ];
    for (const [path, expected] of hostile) {
      assert.equal(isGemspecPath(path), expected);
      const runs = 20;
      const started = performance.now();
      for (let i = 0; i < runs; i++) isGemspecPath(path);
      const ms = (performance.now() - started) / runs;
      assert.ok(ms < 5, `${ms.toFixed(3)} ms for a ${path.length}-character path (the quadratic regex took over a second)`);
    }
  });
});
