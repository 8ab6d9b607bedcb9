/** Fuzzing the zip reader from memory, both ways of reading names, with a small entry limit, from small built archives. */
import { describe, it } from 'node:test';
import { fuzz } from '../test-support/fuzz.js';
import { buildZip } from '../test-support/jar-builder.js';
import { zipMembers } from './zip.js';

const SEEDS = [
  buildZip([
    { name: 'META-INF/MANIFEST.MF', content: 'Manifest-Version: 1.0\nImplementation-Title: demo\n', method: 'deflate' },
    { name: 'a/', content: '' },
    { name: 'a/b.json', content: '{"id":"X-1"}' },
  ]),
  buildZip([{ name: 'odd/name.txt', content: 'x'.repeat(200), method: 'deflate' }]),
];

describe('zip reader: fuzz', () => {
  it('answers every mutated archive with its members or a clear error, never a crash or a hang', async () => {
    await fuzz({
      seeds: SEEDS,
      parse: async (input) => {
        for (const names of ['normalized', 'checked'] as const) {
          for await (const _ of zipMembers(input, { maxEntryBytes: 256, names })) {
            // drained
          }
        }
      },
    });
  });
});
