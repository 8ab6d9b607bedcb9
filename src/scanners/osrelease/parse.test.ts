import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { memoryLayer } from '../../test-support/memory-layer-fs.js';
import { parseOsRelease } from './parse.js';
import { readOsRelease } from './read.js';

function values(text: string): Record<string, string> {
  const r = parseOsRelease(text);
  assert.ok(r.ok, 'expected a well-formed file');
  return Object.fromEntries(r.values);
}

describe('parseOsRelease', () => {
  it('parses a Fedora file with an empty value (claircore EmptyKey case)', () => {
    const text = [
      'NAME=Fedora',
      'VERSION="30 (Container Image)"',
      'ID=fedora',
      'VERSION_ID=30',
      'VERSION_CODENAME=',
      'PLATFORM_ID="platform:f30"',
      'PRETTY_NAME="Fedora 30 (Container Image)"',
      'LOGO=fedora-logo-icon',
      'CPE_NAME="cpe:/o:fedoraproject:fedora:30"',
      'VARIANT="Container Image"',
      'VARIANT_ID=container',
      '',
    ].join('\n');
    assert.deepEqual(values(text), {
      CPE_NAME: 'cpe:/o:fedoraproject:fedora:30',
      ID: 'fedora',
      LOGO: 'fedora-logo-icon',
      NAME: 'Fedora',
      PLATFORM_ID: 'platform:f30',
      PRETTY_NAME: 'Fedora 30 (Container Image)',
      VARIANT_ID: 'container',
      VARIANT: 'Container Image',
      VERSION: '30 (Container Image)',
      VERSION_CODENAME: '',
      VERSION_ID: '30',
    });
  });

  it('skips blank lines and comments, trims around "=", and lets a later key win', () => {
    assert.deepEqual(values('# comment\n\n   \n  ID = alpine  \r\n\t# indented comment\nID=wolfi\n'), { ID: 'wolfi' });
  });

  it('unquotes single-quoted values: every outer quote goes, and \'\\\'\' becomes \'', () => {
    assert.deepEqual(values("A='it'\\''s'\nB=''x''\nC='\"raw\\$\"'\nD='half"), { A: "it's", B: 'x', C: '"raw\\$"', D: 'half' });
  });

  it('unquotes double-quoted values and undoes only the documented escapes', () => {
    const text = 'A="a \\"quoted\\" \\$HOME \\`cmd\\` back\\\\slash"\nB="\\n stays"\nC="\\\\$"\nD=""\nE=unquoted "inner"';
    assert.deepEqual(values(text), { A: 'a "quoted" $HOME `cmd` back\\slash', B: '\\n stays', C: '\\$', D: '', E: 'unquoted "inner"' });
  });

  it('rejects a file with a line that has no "="', () => {
    const r = parseOsRelease('ID=debian\nthis is not a pair\n');
    assert.equal(r.ok, false);
    assert.match(r.ok ? '' : r.reason, /malformed line "this is not a pair"/);
  });
});

describe('readOsRelease', () => {
  it('reads etc/os-release, else usr/lib/os-release, following symlinks', async () => {
    const both = memoryLayer([
      { path: 'etc/os-release', content: 'ID=a\n' },
      { path: 'usr/lib/os-release', content: 'ID=b\n' },
    ]);
    assert.equal((await readOsRelease(both, 'test'))?.values?.get('ID'), 'a');
    const fallback = memoryLayer([{ path: 'usr/lib/os-release', content: 'ID=b\n' }]);
    assert.equal((await readOsRelease(fallback, 'test'))?.path, 'usr/lib/os-release');
    const linked = memoryLayer([
      { path: 'usr/lib/os-release', content: 'ID=c\n' },
      { path: 'etc/os-release', type: 'symlink', target: '../usr/lib/os-release' },
    ]);
    assert.equal((await readOsRelease(linked, 'test'))?.values?.get('ID'), 'c');
    assert.equal(await readOsRelease(memoryLayer([]), 'test'), undefined);
  });

  it('reports a malformed file as found but without values', async () => {
    const found = await readOsRelease(memoryLayer([{ path: 'etc/os-release', content: 'garbage\n' }]), 'test');
    assert.equal(found?.path, 'etc/os-release');
    assert.equal(found?.values, undefined);
  });
});
