import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fuzz, isClearError } from './fuzz.js';

describe('fuzz harness', () => {
  it('tells a parser\'s clear error from the parser breaking', () => {
    assert.equal(isClearError(new Error('bad magic at byte 4')), true);
    assert.equal(isClearError(new SyntaxError('Unexpected token } in JSON at position 3')), true);
    assert.equal(isClearError(new TypeError("Cannot read properties of undefined (reading 'x')")), false);
    assert.equal(isClearError(new RangeError('Maximum call stack size exceeded')), false);
    assert.equal(isClearError('a string'), false);
    assert.equal(isClearError(new Error('  ')), false);
    assert.equal(isClearError(new assert.AssertionError({ message: 'a property of the target failed' })), false);
  });

  it('fails on a parser that crashes on some inputs, and on one that hangs', async () => {
    const seeds = [Buffer.from('key: value\n')];
    await assert.rejects(
      fuzz({ seeds, parse: (b) => (b.includes(0x3a) ? 'ok' : (undefined as unknown as { x: number }).x) }),
      /unclear error TypeError/,
    );
    await assert.rejects(
      fuzz({ seeds, timeoutMs: 50, parse: (b) => (b.includes(0x3a) ? 'ok' : new Promise(() => {})) }),
      /no answer within 50 ms/,
    );
  });

  it('passes a parser that answers bad input with errors', async () => {
    await fuzz({ seeds: [Buffer.from('{"a":1}')], parse: (b) => JSON.parse(b.toString('utf8')) });
  });
});
