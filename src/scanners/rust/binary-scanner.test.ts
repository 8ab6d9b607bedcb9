import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { deflateSync } from 'node:zlib';
import type { ScannedPackage } from '../../model/scanned.js';
import { memoryLayer } from '../../test-support/memory-layer-fs.js';
import { buildElfWithSections, type ElfSectionsSpec } from '../internal/elf-sections.case.js';
import { AUDIT_JSON_LIMIT, parseAuditData } from './auditable.js';
import { RUST_BINARY_SCANNER_KIND, RUST_BINARY_SCANNER_NAME, RUST_BINARY_SCANNER_VERSION, rustBinaryScanner } from './binary-scanner.js';

// What `cargo auditable install ripgrep` embeds (trimmed): the root from crates.io, runtime and build dependencies.
const RIPGREP = {
  packages: [
    { name: 'cc', version: '1.0.83', source: 'crates.io', kind: 'build' },
    { name: 'grep-cli', version: '0.1.10', source: 'git', dependencies: [3] },
    { name: 'local-helper', version: '0.0.1', source: 'local' },
    { name: 'memchr', version: '2.7.1', source: 'crates.io' },
    { name: 'regex', version: '1.10.2', source: 'crates.io', kind: 'runtime', dependencies: [3] },
    { name: 'ripgrep', version: '14.1.0', source: 'crates.io', dependencies: [1, 2, 4, 6], root: true },
    { name: 'serde_derive', version: '1.0.195', source: 'crates.io', kind: 'build' },
    { name: 'vendored', version: '3.0.0', source: 'registry' },
  ],
};

const depSection = (doc: unknown) => deflateSync(Buffer.from(JSON.stringify(doc)));
const rustElf = (doc: unknown, extra: Partial<ElfSectionsSpec> = {}) =>
  buildElfWithSections({
    sections: [
      { name: '.text', data: Buffer.alloc(512, 0xc3) },
      { name: '.rodata', data: Buffer.from('panicked at src/main.rs') },
      { name: '.dep-v0', data: depSection(doc) },
      { name: '.bss', data: Buffer.alloc(64), type: 8 },
    ],
    ...extra,
  });

const semver = (major: number, minor: number, patch: number) => ({ kind: 'semver', v: [0, major, minor, patch, 0, 0, 0, 0, 0, 0] });
const UNMATCHABLE = { kind: 'unmatchable', v: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0] };

function crate(path: string, name: string, version: string, source: string, normalizedVersion: { kind: string; v: number[] }): ScannedPackage {
  return { name, version, kind: 'binary', arch: '', module: '', cpe: '', normalizedVersion, packageDb: `rust:${path}`, filepath: path, repositoryHint: source };
}

const ripgrepPackages = (path: string) => [
  crate(path, 'grep-cli', '0.1.10', 'git', UNMATCHABLE),
  crate(path, 'local-helper', '0.0.1', 'local', UNMATCHABLE),
  crate(path, 'memchr', '2.7.1', 'crates.io', semver(2, 7, 1)),
  crate(path, 'regex', '1.10.2', 'crates.io', semver(1, 10, 2)),
  crate(path, 'ripgrep', '14.1.0', 'crates.io', semver(14, 1, 0)),
  crate(path, 'vendored', '3.0.0', 'registry', UNMATCHABLE),
];

const scan = (entries: Parameters<typeof memoryLayer>[0]) => rustBinaryScanner.scan(memoryLayer(entries, { chunkSize: 1024 }), {});

describe('rust binary scanner', () => {
  it('has its persisted identity and the crates.io repository', () => {
    assert.deepEqual([RUST_BINARY_SCANNER_NAME, RUST_BINARY_SCANNER_VERSION, RUST_BINARY_SCANNER_KIND], ['rustbinary', '1', 'package']);
    assert.deepEqual(rustBinaryScanner.defaultRepository, { name: 'crates.io', key: '', uri: 'https://crates.io/', cpe: '' });
  });

  for (const cls of [64, 32] as const) {
    for (const endian of ['le', 'be'] as const) {
      it(`reports the runtime crates of a ${cls}-bit ${endian} cargo-auditable executable, root included, build dependencies not`, async () => {
        const got = await scan([{ path: 'usr/local/cargo/bin/rg', content: rustElf(RIPGREP, { class: cls, endian }), mode: 0o755 }]);
        assert.deepEqual(got, ripgrepPackages('usr/local/cargo/bin/rg'));
      });
    }
  }

  it('reads executables in walk order, and finds the section far from the section table', async () => {
    const far = rustElf({ packages: [{ name: 'libc', version: '0.2.151', source: 'crates.io' }] }, { beforeTable: 300 * 1024, namesFirst: true });
    const got = await scan([
      { path: 'usr/bin/zz', content: far, mode: 0o755 },
      { path: 'app/rg', content: rustElf(RIPGREP, { type: 2 }), mode: 0o700 },
    ]);
    assert.deepEqual(got, [...ripgrepPackages('app/rg'), crate('usr/bin/zz', 'libc', '0.2.151', 'crates.io', semver(0, 2, 151))]);
  });

  it('skips non-executable files, non-ELF files, objects, ELFs without the section and malformed dependency data', async () => {
    const withoutSection = buildElfWithSections({ sections: [{ name: '.text', data: Buffer.alloc(100) }] });
    const notZlib = buildElfWithSections({ sections: [{ name: '.dep-v0', data: Buffer.from('plain text, not deflated') }] });
    const notJson = buildElfWithSections({ sections: [{ name: '.dep-v0', data: deflateSync(Buffer.from('{"packages": [')) }] });
    const got = await scan([
      { path: 'lib/not-exec', content: rustElf(RIPGREP), mode: 0o644 },
      { path: 'bin/script', content: '#!/bin/sh\nexec /usr/bin/env rg "$@" # padding to pass the size check\n', mode: 0o755 },
      { path: 'bin/object.o', content: rustElf(RIPGREP, { type: 1 }), mode: 0o755 },
      { path: 'bin/c-program', content: withoutSection, mode: 0o755 },
      { path: 'bin/not-zlib', content: notZlib, mode: 0o755 },
      { path: 'bin/not-json', content: notJson, mode: 0o755 },
      { path: 'bin/no-packages', content: rustElf({ crates: [] }), mode: 0o755 },
      { path: 'bin/truncated', content: rustElf(RIPGREP).subarray(0, 700), mode: 0o755 },
      { path: 'bin/link', type: 'symlink', target: 'c-program' },
    ]);
    assert.deepEqual(got, []);
  });

  it('explains why dependency data is refused, and caps what it decompresses', () => {
    assert.deepEqual(parseAuditData(Buffer.from('nope')), { ok: false, reason: 'not zlib data' });
    assert.deepEqual(parseAuditData(deflateSync(Buffer.from('[1,2]'))), { ok: false, reason: 'no "packages" array' });
    assert.deepEqual(parseAuditData(deflateSync(Buffer.alloc(AUDIT_JSON_LIMIT + 1, 0x20))), { ok: false, reason: `decompresses to more than ${AUDIT_JSON_LIMIT} bytes` });
    assert.deepEqual(parseAuditData(deflateSync(Buffer.from('{"packages":[{"name":"x"},7,{"name":"y","version":"1.0.0"}]}'))), {
      ok: true,
      crates: [{ name: 'y', version: '1.0.0', source: '', kind: 'runtime', root: false }],
    });
  });

  it('stops when aborted', async () => {
    const c = new AbortController();
    c.abort(new Error('halt'));
    await assert.rejects(rustBinaryScanner.scan(memoryLayer([]), { signal: c.signal }), /halt/);
  });
});
