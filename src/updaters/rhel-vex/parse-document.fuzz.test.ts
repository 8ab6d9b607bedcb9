/** Fuzzing the Red Hat CSAF VEX document parser (JSON, CSAF shape, records), from the CVE-2024-1000 fixture. */
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { quietLogger } from '../../test-support/config.js';
import { fuzz } from '../../test-support/fuzz.js';
import { unmasked } from '../fuzz.case.js';
import { parseVexDocument } from './parse-document.js';

const DOC = readFileSync(new URL('./testdata/cve-2024-1000.json', import.meta.url));
/** The same document without indentation: mutations then land on content rather than white space. */
const COMPACT = Buffer.from(JSON.stringify(JSON.parse(DOC.toString('utf8'))));
const options = { ignoreKernelPackages: false, log: quietLogger() };

describe('rhel-vex CSAF document: fuzz', () => {
  it('answers every mutated VEX document with records or a clear error, never a crash or a hang', async () => {
    await fuzz({
      seeds: [COMPACT],
      parse: (input) => unmasked(() => parseVexDocument(input, '2024/cve-2024-1000.json', options)),
    });
  });
});
