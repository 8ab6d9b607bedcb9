import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { aliasCveIds, aliasOf, aliasText, normalizeAliases, withAliases } from './alias.js';

describe('aliases', () => {
  it('splits OSV-style ids at the first dash, and refuses ids without a prefix', () => {
    assert.deepEqual(aliasOf('GHSA-j8r2-6x86-q33q'), { space: 'GHSA', name: 'j8r2-6x86-q33q' });
    assert.deepEqual(aliasOf('CVE-2024-3094'), { space: 'CVE', name: '2024-3094' });
    assert.equal(aliasOf('nodash'), undefined);
    assert.equal(aliasOf('-lead'), undefined);
    assert.equal(aliasOf('trail-'), undefined);
  });

  it('writes an alias as claircore\'s Alias.String: PREFIX-name, or the URI with the name', () => {
    assert.equal(aliasText({ space: 'CVE', name: '2024-3094' }), 'CVE-2024-3094');
    assert.equal(aliasText({ space: 'https://access.redhat.com/security/cve/', name: 'CVE-2024-3094' }), 'https://access.redhat.com/security/cve/CVE-2024-3094');
    assert.equal(aliasText({ space: 'https://example.com/ids', name: '7' }), 'https://example.com/ids#7');
  });

  it('drops invalid and repeated aliases and sorts the rest, so equal sets compare alike', () => {
    assert.deepEqual(normalizeAliases([{ space: 'GHSA', name: 'b' }, { space: 'CVE', name: '2024-0001' }, { space: '', name: 'x' }, { space: 'GHSA', name: 'b' }, { space: 'X', name: '' }]), [
      { space: 'CVE', name: '2024-0001' },
      { space: 'GHSA', name: 'b' },
    ]);
    assert.deepEqual(withAliases([]), {});
  });

  it('reads the CVE ids of aliases in the CVE namespace and of URI aliases naming one', () => {
    assert.deepEqual(
      aliasCveIds([{ space: 'CVE', name: '2024-10001' }, { space: 'https://access.redhat.com/security/cve/', name: 'cve-2023-0001' }, { space: 'GHSA', name: 'x' }, { space: 'CVE', name: 'bogus' }]),
      ['CVE-2023-0001', 'CVE-2024-10001'],
    );
  });
});
