import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Line } from './lines.js';
import { readHeader, readStanzas } from './rfc822.js';

async function* from(text: string): AsyncGenerator<Line> {
  for (const l of text.split('\n')) yield { text: l };
}

async function stanzas(text: string): Promise<Record<string, string>[]> {
  const out: Record<string, string>[] = [];
  for await (const s of readStanzas(from(text))) out.push(Object.fromEntries(s));
  return out;
}

describe('readStanzas', () => {
  it('reads keys case-insensitively, first occurrence wins, values trimmed', async () => {
    assert.deepEqual(await stanzas('Package:  foo \nPACKAGE: bar\nversion:\t1.0\n'), [{ package: 'foo', version: '1.0' }]);
  });

  it('folds continuation lines into the previous value', async () => {
    assert.deepEqual(await stanzas('Description: short\n long line one\n\tline two\n .\nStatus: install ok installed\n'), [
      { description: 'short long line one line two .', status: 'install ok installed' },
    ]);
  });

  it('separates stanzas at empty lines and skips runs of them', async () => {
    assert.deepEqual(await stanzas('\n\nA: 1\n\n\n\nA: 2\n'), [{ a: '1' }, { a: '2' }]);
  });

  it('drops a stanza with a malformed line and resumes at the next line', async () => {
    assert.deepEqual(await stanzas('A: 1\nno colon here\nB: 2\n\nBad Key: x\n\nC: 3\n'), [{ b: '2' }, { c: '3' }]);
    assert.deepEqual(await stanzas(' starts with a continuation\nD: 4\n'), [{ d: '4' }]);
  });

  it('drops a stanza holding an over-long line', async () => {
    async function* withOverlong(): AsyncGenerator<Line> {
      yield { text: 'A: 1' };
      yield { text: '', overlong: true };
      yield { text: 'B: 2' };
      yield { text: '' };
      yield { text: 'C: 3' };
    }
    const out: Record<string, string>[] = [];
    for await (const s of readStanzas(withOverlong())) out.push(Object.fromEntries(s));
    assert.deepEqual(out, [{ b: '2' }, { c: '3' }]);
  });
});

describe('readHeader', () => {
  it('reads the first block only', async () => {
    assert.deepEqual(Object.fromEntries(await readHeader(from('Name: requests\nVersion: 2.31.0\n\nName: body\n'))), { name: 'requests', version: '2.31.0' });
  });

  it('keeps the fields before a malformed line', async () => {
    assert.deepEqual(Object.fromEntries(await readHeader(from('Name: x\nVersion: 1\nnot a header\nSummary: y\n'))), { name: 'x', version: '1' });
  });
});
