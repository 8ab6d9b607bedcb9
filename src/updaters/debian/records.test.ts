import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fixedInVersion, RecordBuilder } from './records.js';
import { normalizeDebianSeverity } from './severity.js';
import { cveEntries } from './tracker.js';
import { debianRelease } from '../../model/releases.js';

describe('debian records', () => {
  it('maps urgencies with claircore’s shifted table, case-insensitively and without stripping suffixes', () => {
    const table: Array<[string, string]> = [
      ['unimportant', 'Low'], ['low', 'Medium'], ['medium', 'High'], ['high', 'Critical'], ['HIGH', 'Critical'],
      ['low*', 'Unknown'], ['high**', 'Unknown'], ['not yet assigned', 'Unknown'], ['end-of-life', 'Unknown'], ['', 'Unknown'],
    ];
    for (const [urgency, severity] of table) assert.equal(normalizeDebianSeverity(urgency), severity, urgency);
  });

  it('keeps published fixed versions and maps text-format placeholders', () => {
    assert.equal(fixedInVersion('1:2.3-4'), '1:2.3-4');
    assert.equal(fixedInVersion('0'), '0');
    assert.equal(fixedInVersion(''), '');
    assert.equal(fixedInVersion('<unfixed>'), '');
    assert.equal(fixedInVersion('<not-affected>'), '0');
  });

  it('uses the distribution the Debian scanner emits and skips unnumbered releases', () => {
    const builder = new RecordBuilder([{ codeName: 'bookworm', versionId: 12 }]);
    const entry = { source: 'curl', cve: 'CVE-1', description: 'd', status: 'open', fixedVersion: '', urgency: 'low' };
    assert.deepEqual(builder.record({ ...entry, release: 'bookworm' })?.distribution, debianRelease('bookworm', 12));
    assert.equal(builder.record({ ...entry, release: 'sid' }), undefined);
  });

  it('walks a CVE’s releases, skipping shapes the tracker does not promise', () => {
    assert.deepEqual([...cveEntries(['pkg', 'CVE-1', { description: 'one', releases: { bookworm: { status: 'resolved', fixed_version: '1.0-1', urgency: 'low' }, sid: 'bogus' } }])], [
      { source: 'pkg', cve: 'CVE-1', description: 'one', release: 'bookworm', status: 'resolved', fixedVersion: '1.0-1', urgency: 'low' },
    ]);
    assert.deepEqual([...cveEntries(['pkg', 'CVE-4', { releases: { bullseye: { status: 'open', fixed_version: 7 } } }])], [
      { source: 'pkg', cve: 'CVE-4', description: '', release: 'bullseye', status: 'open', fixedVersion: '', urgency: '' },
    ]);
    assert.deepEqual([...cveEntries(['pkg', 'CVE-2', { releases: [] }])], []);
    assert.deepEqual([...cveEntries(['pkg', 'CVE-3', 'bogus'])], []);
    assert.deepEqual([...cveEntries(['pkg', 'CVE-5', null])], []);
  });
});
