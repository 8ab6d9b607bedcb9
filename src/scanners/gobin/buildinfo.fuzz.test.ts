/**
 * Fuzzing Go build information in ELF executables through the scanner:
 * both blob formats (inline strings, Go ≥ 1.18; pointers, older), both
 * classes and byte orders, with and without section headers.
 */
import { describe, it } from 'node:test';
import { fuzz } from '../../test-support/fuzz.js';
import { buildElf } from '../../test-support/elf-builder.js';
import { scanEntries } from '../../test-support/scan.js';
import { gobinPackageScanner } from './scanner.js';

const MODINFO = [
  'path\texample.com/cmd/tool',
  'mod\texample.com\t(devel)\t',
  'dep\tgolang.org/x/net\tv0.0.0-20200804184101-5ec99f83aff1\th1:def=',
  'dep\tgithub.com/old/lib\tv1.0.0\th1:ghi=',
  '=>\tgithub.com/fork/lib\tv1.0.1-fixed\th1:jkl=',
  'build\t-compiler=gc',
  'build\tvcs.revision=0123456789abcdef0123456789abcdef01234567',
  'build\tvcs.modified=true',
  'build\t"weird key"="a \\"quoted\\" \\x41 value"',
  'build\t`raw`=`value`',
  '',
].join('\n');

const SEEDS = [
  buildElf({ buildinfo: { format: 'inline', goVersion: 'go1.20.12 X:strictfipsruntime', modinfo: MODINFO } }),
  buildElf({ class: 32, endian: 'be', buildinfo: { format: 'pointer', goVersion: 'go1.16.15', modinfo: MODINFO } }),
  buildElf({ sections: false, padding: 48, buildinfo: { format: 'pointer', goVersion: 'go1.17', modinfo: MODINFO } }),
  buildElf({ type: 3, endian: 'be', sections: false, buildinfo: { format: 'inline', goVersion: 'go1.22.0', modinfo: MODINFO } }),
];

describe('go buildinfo: fuzz', () => {
  it('answers every mutated Go executable with packages or a clear error, never a crash or a hang', async () => {
    await fuzz({
      seeds: SEEDS,
      parse: (input) => scanEntries(gobinPackageScanner, [{ path: 'usr/local/bin/tool', content: input, mode: 0o755 }]),
    });
  });
});
