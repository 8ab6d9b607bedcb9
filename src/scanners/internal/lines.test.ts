import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { readLines, type Line } from './lines.js';

async function collect(chunks: (string | Buffer)[], max?: number): Promise<Line[]> {
  const out: Line[] = [];
  for await (const line of readLines(Readable.from(chunks.map((c) => (typeof c === 'string' ? Buffer.from(c) : c))), max)) out.push(line);
  return out;
}

const text = (ls: Line[]) => ls.map((l) => (l.overlong ? '<overlong>' : l.text));

describe('readLines', () => {
  it('splits across chunk boundaries, strips \\r, and yields a last line without a newline', async () => {
    assert.deepEqual(text(await collect(['Pack', 'age: a\r\nVer', 'sion: 1\n', '\n', 'last'])), ['Package: a', 'Version: 1', '', 'last']);
  });

  it('decodes multi-byte characters split between chunks', async () => {
    const bytes = Buffer.from('Maintainer: Timo Teräs\n');
    const cut = bytes.indexOf(0xa4); // inside "ä"
    assert.deepEqual(text(await collect([bytes.subarray(0, cut), bytes.subarray(cut)])), ['Maintainer: Timo Teräs']);
  });

  it('drops an over-long line and says so, without buffering it', async () => {
    const long = 'x'.repeat(50);
    assert.deepEqual(text(await collect(['a\n', long.slice(0, 20), long.slice(20), '\nb\n'], 10)), ['a', '<overlong>', 'b']);
    assert.deepEqual(text(await collect(['a\n', long], 10)), ['a', '<overlong>']);
    assert.deepEqual(text(await collect([`a\n${long}\nb\n`], 10)), ['a', '<overlong>', 'b']);
  });

  it('yields nothing for an empty stream', async () => {
    assert.deepEqual(await collect([]), []);
  });
});
