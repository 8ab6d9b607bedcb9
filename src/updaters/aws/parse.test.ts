import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { isClairError } from '../../lib/errors.js';
import { collect } from '../../test-support/feed-server.js';
import { updaterContext } from '../../test-support/updater-context.js';
import { parseMirrorList } from './mirrors.js';
import { fixedVersion, normalizeAwsSeverity, parseIssued } from './records.js';
import { parseRepomd } from './repomd.js';
import { readUpdateinfo } from './updateinfo.js';

const UPDATEINFO = readFileSync(fileURLToPath(new URL('testdata/updateinfo.xml', import.meta.url)));

describe('updateinfo reader', async () => {
  const ctx = await updaterContext();
  after(() => ctx.cleanup());
  const write = async (name: string, data: string | Buffer): Promise<string> => {
    const file = join(ctx.dir, name);
    await writeFile(file, data);
    return file;
  };

  const EXPECTED = [
    {
      id: 'ALAS2-2023-2001',
      title: 'Amazon Linux 2 - ALAS2-2023-2001: important priority package update for curl',
      issued: '2023-03-07 00:29',
      severity: 'important',
      description: 'Package updates are available for Amazon Linux 2 that fix the following vulnerabilities:\nCVE-2023-23914: curl <7.88.0 HSTS ignored on multiple requests',
      references: [
        { href: 'https://cve.mitre.org/cgi-bin/cvename.cgi?name=CVE-2023-23914', id: 'CVE-2023-23914', type: 'cve', title: '' },
        { href: 'https://cve.mitre.org/cgi-bin/cvename.cgi?name=CVE-2023-23915', id: 'CVE-2023-23915', type: 'cve', title: '' },
      ],
      packages: [
        { name: 'curl', epoch: '0', version: '7.88.1', release: '1.amzn2.0.1', arch: 'x86_64' },
        { name: 'libcurl', epoch: '0', version: '7.88.1', release: '1.amzn2.0.1', arch: 'aarch64' },
      ],
    },
    {
      id: 'ALAS2-2023-2002',
      title: 'Amazon Linux 2 - ALAS2-2023-2002: low priority package update for emacs',
      issued: '2023-04-01 10:11:12',
      severity: 'low',
      description: 'A flaw in <emacs> & friends.',
      references: [],
      packages: [
        { name: 'emacs-common', epoch: '1', version: '25.3', release: '12.amzn2', arch: 'noarch' },
        { name: 'emacs', epoch: '', version: '25.3', release: '12.amzn2', arch: 'x86_64' },
      ],
    },
    { id: 'ALAS2-2023-2003', title: 'no packages', issued: undefined, severity: 'critical', description: '', references: [], packages: [] },
  ];

  it('streams advisories from a gzip file', async () => {
    assert.deepEqual(await collect(readUpdateinfo(await write('u.gz', gzipSync(UPDATEINFO)), 't')), EXPECTED);
  });

  it('reads an uncompressed file too (told apart by magic bytes)', async () => {
    assert.deepEqual(await collect(readUpdateinfo(await write('u.xml', UPDATEINFO), 't')), EXPECTED);
  });

  it('decodes multi-byte characters split across chunks', async () => {
    const big = `<updates><update><id>X</id><description>${'é'.repeat(70_000)}</description></update></updates>`;
    const [u] = await collect(readUpdateinfo(await write('mb.gz', gzipSync(big)), 't'));
    assert.equal(u?.description, 'é'.repeat(70_000));
  });

  it('rejects malformed XML, a truncated gzip stream, and the wrong document with catalogued parse errors', async () => {
    const cases: Array<[string, string | Buffer, RegExp]> = [
      ['unclosed.gz', gzipSync('<updates><update><id>A</id>'), /aws-linux2-updater: malformed updateinfo: Unclosed root tag/],
      ['garbage.gz', gzipSync('<updates><update><id>A</i></update></updates>'), /malformed updateinfo: Unexpected close tag/],
      ['truncated.gz', gzipSync(UPDATEINFO).subarray(0, 200), /malformed updateinfo: unexpected end of file/],
      ['html.xml', '<html><body>503</body></html>', /root element is <html>, expected <updates>/],
      ['empty.xml', '', /no XML document/],
    ];
    for (const [name, data, message] of cases) {
      await assert.rejects(collect(readUpdateinfo(await write(name, data), 'aws-linux2-updater')), (err: unknown) => {
        assert.ok(isClairError(err, 'UPDATER_PARSE'), `${name}: ${String(err)}`);
        assert.match(err.message, message);
        return true;
      });
    }
  });
});

describe('ALAS field mapping', () => {
  it('normalizes severities as claircore', () => {
    assert.deepEqual(['low', 'medium', 'important', 'critical', 'moderate', ''].map(normalizeAwsSeverity), ['Low', 'Medium', 'High', 'Critical', 'Unknown', 'Unknown']);
  });

  it('writes fixed versions as [E:]V-R, omitting an empty or zero epoch (claircore TestVersionString)', () => {
    const p = { name: 'x', arch: 'x86_64' };
    assert.equal(fixedVersion({ ...p, epoch: '', version: '3.3.10', release: '26.amzn2' }), '3.3.10-26.amzn2');
    assert.equal(fixedVersion({ ...p, epoch: '0', version: '3.3.10', release: '26.amzn2' }), '3.3.10-26.amzn2');
    assert.equal(fixedVersion({ ...p, epoch: '10', version: '3.1.0', release: '8.amzn2.0.8' }), '10:3.1.0-8.amzn2.0.8');
  });

  it('parses issued dates in both layouts as UTC, and fails on anything else', () => {
    assert.deepEqual(parseIssued('2023-03-07 00:29', 't', 'A'), new Date('2023-03-07T00:29:00Z'));
    assert.deepEqual(parseIssued('2023-04-01 10:11:12', 't', 'A'), new Date('2023-04-01T10:11:12Z'));
    assert.equal(parseIssued(undefined, 't', 'A'), undefined);
    assert.throws(() => parseIssued('07/03/2023', 'aws-linux2-updater', 'ALAS2-1'), (err: unknown) => isClairError(err, 'UPDATER_PARSE') && /ALAS2-1: unparsable issued date/.test(err.message));
  });
});

describe('repomd.xml and mirror.list', () => {
  it('finds data entries with checksum and location', () => {
    const xml = `<?xml version="1.0"?><repomd xmlns="http://linux.duke.edu/metadata/repo" xmlns:rpm="http://linux.duke.edu/metadata/rpm"><revision>1</revision>
      <data type="primary_db"><checksum type="sha256">AA</checksum><location href="repodata/primary.sqlite.bz2"/></data>
      <data type="updateinfo"><checksum type="sha256"> 9DD3 </checksum><open-checksum type="sha256">bb</open-checksum><location href="repodata/x-updateinfo.xml.gz"/></data></repomd>`;
    assert.deepEqual(parseRepomd(xml, 't', 'u'), [
      { type: 'primary_db', checksum: { type: 'sha256', value: 'aa' }, location: 'repodata/primary.sqlite.bz2' },
      { type: 'updateinfo', checksum: { type: 'sha256', value: '9dd3' }, location: 'repodata/x-updateinfo.xml.gz' },
    ]);
  });

  it('rejects malformed repomd.xml naming its URL', () => {
    assert.throws(() => parseRepomd('<repomd><data type="x">', 'aws-linux2-updater', 'http://m/repodata/repomd.xml'), (err: unknown) => isClairError(err, 'UPDATER_PARSE') && err.message.startsWith('aws-linux2-updater: malformed repomd.xml http://m/repodata/repomd.xml: Unclosed root tag'));
    assert.throws(() => parseRepomd('<html/>', 't', 'u'), /root element is <html>/);
  });

  it('parses mirror lists with or without a final newline, skipping blanks and comments', () => {
    assert.deepEqual(parseMirrorList('http://a/x\n\n# comment\r\nhttps://b/y/\n'), ['http://a/x/', 'https://b/y/']);
    assert.deepEqual(parseMirrorList('https://cdn/only'), ['https://cdn/only/']);
    assert.deepEqual(parseMirrorList(''), []);
  });
});
