import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { ScannedPackage } from '../../model/scanned.js';
import { buildElf, type ElfSpec } from '../../test-support/elf-builder.js';
import { memoryLayer } from '../../test-support/memory-layer-fs.js';
import { parseElf } from '../internal/elf.js';
import { parseModinfo, readBuildInfo } from './buildinfo.js';
import { GO_REPOSITORY, GOBIN_SCANNER_KIND, GOBIN_SCANNER_NAME, GOBIN_SCANNER_VERSION, gobinPackageScanner, parseGoVersion } from './index.js';

const MODINFO = [
  'path\texample.com/cmd/tool',
  'mod\texample.com\tv1.4.0\th1:abc=',
  'dep\tgolang.org/x/net\tv0.0.0-20200804184101-5ec99f83aff1\th1:def=',
  'dep\tgithub.com/old/lib\tv1.0.0\th1:ghi=',
  '=>\tgithub.com/fork/lib\tv1.0.1-fixed\th1:jkl=',
  'dep\tgithub.com/docker/docker\tv24.0.7+incompatible\t',
  'dep\tgithub.com/local/thing\tv0.1.0\t',
  '=>\t../thing\t\t',
  'build\t-compiler=gc',
  'build\tvcs=git',
  'build\t"weird key"="a \\"quoted\\" value"',
  '',
].join('\n');

const semver = (...v: number[]) => ({ kind: 'semver', v: [0, ...v, 0, 0, 0, 0, 0, 0] });

function pkg(path: string, name: string, version: string, normalized?: { kind: string; v: number[] }): ScannedPackage {
  const p: ScannedPackage = { name, version, kind: 'binary', arch: '', module: '', cpe: '', packageDb: `go:${path}`, filepath: path, repositoryHint: '' };
  if (normalized) p.normalizedVersion = normalized;
  return p;
}

function expectedTool(path: string): ScannedPackage[] {
  return [
    pkg(path, 'stdlib', '1.20.12', semver(1, 20, 12)),
    pkg(path, 'example.com', 'v1.4.0', semver(1, 4, 0)),
    pkg(path, 'golang.org/x/net', 'v0.0.0-20200804184101-5ec99f83aff1', semver(0, 0, 0)),
    pkg(path, 'github.com/fork/lib', 'v1.0.1-fixed', semver(1, 0, 1)),
    pkg(path, 'github.com/docker/docker', 'v24.0.7+incompatible', semver(24, 0, 7)),
    pkg(path, '../thing', ''),
  ];
}

const tool = (spec: Partial<ElfSpec> = {}, buildinfo: Partial<NonNullable<ElfSpec['buildinfo']>> = {}): Buffer =>
  buildElf({ ...spec, buildinfo: { format: 'inline', goVersion: 'go1.20.12 X:strictfipsruntime', modinfo: MODINFO, ...buildinfo } });

async function scan(entries: Parameters<typeof memoryLayer>[0]): Promise<ScannedPackage[]> {
  return gobinPackageScanner.scan(memoryLayer(entries), {});
}

describe('gobin package scanner', () => {
  it('has claircore’s persisted identity and default repository', () => {
    assert.deepEqual([GOBIN_SCANNER_NAME, GOBIN_SCANNER_VERSION, GOBIN_SCANNER_KIND], ['gobin', '7', 'package']);
    assert.deepEqual(gobinPackageScanner.defaultRepository, { name: 'go', uri: 'https://pkg.go.dev/', key: '', cpe: '' });
    assert.equal(gobinPackageScanner.defaultRepository, GO_REPOSITORY);
  });

  for (const cls of [64, 32] as const) {
    for (const endian of ['le', 'be'] as const) {
      for (const format of ['inline', 'pointer'] as const) {
        it(`reads ${format} build info from a ${cls}-bit ${endian} ELF`, async () => {
          const got = await scan([{ path: 'usr/local/bin/tool', content: tool({ class: cls, endian }, { format }), mode: 0o755 }]);
          assert.deepEqual(got, expectedTool('usr/local/bin/tool'));
        });
      }
    }
  }

  it('finds the blob in the writable segment when there are no section headers, skipping a misaligned decoy', async () => {
    const got = await scan([{ path: 'app', content: tool({ sections: false, padding: 48, type: 3 }), mode: 0o700 }]);
    assert.deepEqual(got, expectedTool('app'));
  });

  it('reads a real go1.19.8 executable (stripped, replace to a local directory)', async () => {
    const content = readFileSync(new URL('./testdata/app-go1.19.8-stripped', import.meta.url));
    const path = 'usr/bin/app';
    assert.deepEqual(await scan([{ path, content, mode: 0o755 }]), [
      pkg(path, 'stdlib', '1.19.8', semver(1, 19, 8)),
      pkg(path, 'example.com/app', '(devel)'),
      pkg(path, '../dep', '(devel)'),
    ]);
  });

  it('describes a (devel) main module with its VCS stamps, and names an anonymous one command-line-arguments', async () => {
    const modinfo = [
      'path\texample.com/x',
      'mod\texample.com/x\t(devel)\t',
      'build\tvcs=git',
      `build\tvcs.revision=${'a'.repeat(40)}`,
      'build\tvcs.time=2024-01-02T03:04:05Z',
      'build\tvcs.modified=true',
      '',
    ].join('\n');
    const [, main] = await scan([{ path: 'x', content: tool({}, { modinfo }), mode: 0o755 }]);
    assert.deepEqual(main, pkg('x', 'example.com/x', `(devel) (git, commit ${'a'.repeat(40)}, built at 2024-01-02T03:04:05Z, dirty)`));

    const short = modinfo.replace('a'.repeat(40), 'abc123').replace('vcs.modified=true', 'vcs.modified=false');
    const [, main2] = await scan([{ path: 'x', content: tool({}, { modinfo: short }), mode: 0o755 }]);
    assert.equal(main2?.version, '(devel) (git, rev abc123, built at 2024-01-02T03:04:05Z)');

    const anonymous = await scan([{ path: 'y', content: tool({}, { goVersion: 'go1.21.0', modinfo: 'path\tcommand-line-arguments\n' }), mode: 0o755 }]);
    assert.deepEqual(anonymous, [pkg('y', 'stdlib', '1.21.0', semver(1, 21, 0)), pkg('y', 'command-line-arguments', '(devel)')]);
  });

  it('keeps a non-semver main version unnormalized', async () => {
    const [, main] = await scan([{ path: 'z', content: tool({}, { modinfo: 'mod\tex.com/z\tlatest\t\n' }), mode: 0o755 }]);
    assert.deepEqual(main, pkg('z', 'ex.com/z', 'latest'));
  });

  it('skips non-executable files, non-ELF files, relocatable objects and non-Go ELFs', async () => {
    assert.deepEqual(
      await scan([
        { path: 'not-exec', content: tool(), mode: 0o644 },
        { path: 'script.sh', content: '#!/bin/sh\necho hello there\n', mode: 0o755 },
        { path: 'object.o', content: tool({ type: 1 }), mode: 0o755 },
        { path: 'c-program', content: buildElf({}), mode: 0o755 },
        { path: 'tiny', content: '\x7fELF', mode: 0o755 },
        { path: 'link', type: 'symlink', target: 'c-program' },
      ]),
      [],
    );
  });

  it('skips truncated and corrupt executables without failing the scan', async () => {
    const good = tool();
    const corruptPhoff = Buffer.from(good);
    corruptPhoff.writeBigUInt64LE(0xffffffffn, 32);
    const badVarint = tool({}, { modinfo: 'mod\tx\tv1\t\n' });
    const i = badVarint.indexOf('\xff Go buildinf:', 0, 'latin1');
    badVarint[i + 32] = 0xff; // version length runs past the data
    const unframed = tool({}, { raw: true });
    const badLine = tool({}, { modinfo: 'dep\tonly-one-column\n' });
    const got = await scan([
      { path: 'a-truncated', content: good.subarray(0, 200), mode: 0o755 },
      { path: 'b-phoff', content: corruptPhoff, mode: 0o755 },
      { path: 'c-varint', content: badVarint, mode: 0o755 },
      { path: 'd-ok', content: good, mode: 0o755 },
      { path: 'e-bad-line', content: badLine, mode: 0o755 },
    ]);
    assert.deepEqual(got, expectedTool('d-ok'));
    // Unframed module info is dropped (Go treats it as absent), leaving stdlib and an anonymous main.
    assert.deepEqual(await scan([{ path: 'u', content: unframed, mode: 0o755 }]), [
      pkg('u', 'stdlib', '1.20.12', semver(1, 20, 12)),
      pkg('u', 'command-line-arguments', '(devel)'),
    ]);
  });

  it('stops when aborted', async () => {
    const c = new AbortController();
    c.abort(new Error('halt'));
    await assert.rejects(gobinPackageScanner.scan(memoryLayer([]), { signal: c.signal }), /halt/);
  });
});

describe('Go build info parsing', () => {
  it('parses modinfo lines as debug.ParseBuildInfo, ignoring an unterminated last line', () => {
    const info = parseModinfo(MODINFO + 'dep\tignored\tv1.0.0');
    assert.ok(info);
    assert.equal(info.path, 'example.com/cmd/tool');
    assert.deepEqual(info.main, { path: 'example.com', version: 'v1.4.0', sum: 'h1:abc=' });
    assert.equal(info.deps.length, 4);
    assert.deepEqual(info.deps[1]?.replace, { path: 'github.com/fork/lib', version: 'v1.0.1-fixed', sum: 'h1:jkl=' });
    assert.deepEqual(info.settings, [
      { key: '-compiler', value: 'gc' },
      { key: 'vcs', value: 'git' },
      { key: 'weird key', value: 'a "quoted" value' },
    ]);
  });

  it('rejects malformed lines', () => {
    assert.equal(parseModinfo('=>\tx\tv1\t\n'), undefined); // replacement with no module
    assert.equal(parseModinfo('mod\ta\tb\tc\td\n'), undefined);
    assert.equal(parseModinfo('build\t=x\n'), undefined);
    assert.equal(parseModinfo('build\tnoequals\n'), undefined);
    assert.equal(parseModinfo('build\t"unterminated=x\n'), undefined);
  });

  it('returns nothing for an ELF without build info', () => {
    const elf = parseElf(buildElf({ sections: false }));
    assert.ok(elf);
    assert.equal(readBuildInfo(elf), undefined);
    assert.equal(parseElf(Buffer.from('not an elf at all, just some text here')), undefined);
  });

  it('normalizes versions as claircore’s gobin.ParseVersion', () => {
    assert.deepEqual(parseGoVersion('1.2.30'), semver(1, 2, 30));
    assert.deepEqual(parseGoVersion('v1.2.30'), semver(1, 2, 30));
    assert.deepEqual(parseGoVersion('v1.2.2023071210521689159162'), semver(1, 2, 202307121));
    assert.deepEqual(parseGoVersion('v0.0.0-20200804184101-5ec99f83aff1'), semver(0, 0, 0));
    assert.deepEqual(parseGoVersion('1.18'), semver(1, 18, 0));
    assert.deepEqual(parseGoVersion('v24.0.7+incompatible'), semver(24, 0, 7));
    assert.equal(parseGoVersion('(devel)'), undefined);
    assert.equal(parseGoVersion(''), undefined);
    assert.equal(parseGoVersion('devel'), undefined);
  });
});
