import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { debianRelease } from '../../scanners/debian/distribution-scanner.js';
import { quietLogger } from '../../test-support/config.js';
import { debianConfig, DEFAULT_ARCHIVE_URL, DEFAULT_JSON_URL, DEFAULT_MIRROR_URL } from './config.js';
import { fixedInVersion, RecordBuilder } from './records.js';
import { normalizeDebianSeverity } from './severity.js';
import { cveEntries } from './tracker.js';

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

describe('debian config', () => {
  it('defaults to claircore’s upstream URLs', () => {
    assert.deepEqual(debianConfig(undefined), { mirrorUrl: DEFAULT_MIRROR_URL, archiveUrl: DEFAULT_ARCHIVE_URL, jsonUrl: DEFAULT_JSON_URL });
    assert.equal(DEFAULT_MIRROR_URL, 'https://deb.debian.org/debian/');
    assert.equal(DEFAULT_JSON_URL, 'https://security-tracker.debian.org/tracker/data/json');
  });

  it('adds the trailing slash to base URLs and lets archive_url be turned off', () => {
    const c = debianConfig({ mirror_url: 'http://mirror.local/debian', archive_url: '' });
    assert.equal(c.mirrorUrl, 'http://mirror.local/debian/');
    assert.equal(c.archiveUrl, '');
  });

  it('rejects wrong types and non-http URLs, naming the key', () => {
    assert.throws(() => debianConfig({ json_url: 42 }), /updaters\.config\.debian\.json_url: must be a string/);
    assert.throws(() => debianConfig({ mirror_url: 'ftp://x/' }), /updaters\.config\.debian\.mirror_url: must be an http\(s\) URL/);
    assert.throws(() => debianConfig({ mirror_url: '' }), /mirror_url: must not be empty/);
    assert.throws(() => debianConfig(['x']), /updaters\.config\.debian: must be a mapping/);
  });

  it('warns about unknown keys', () => {
    const warnings: unknown[] = [];
    const log = Object.assign(quietLogger(), { warn: (o: unknown) => warnings.push(o) });
    debianConfig({ jsonurl: 'x' }, log);
    assert.deepEqual(warnings, [{ set: 'debian', keys: ['jsonurl'] }]);
  });
});
