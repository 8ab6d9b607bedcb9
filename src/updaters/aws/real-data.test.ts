/**
 * Real Amazon Linux data from the shared data directory (never copied into
 * the project): claircore's repomd.xml and mirror lists, and vunnel's ALAS
 * advisory pages, whose contents are re-expressed as updateinfo (the form
 * the updater reads) so real advisories go through fetch and parse.
 * Skipped, with the reason, when the data is absent.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { isClairError } from '../../lib/errors.js';
import { collect, startFeedServer, type FeedServer } from '../../test-support/feed-server.js';
import { SHARED_DATA, sharedDataSkip, updaterContext } from '../../test-support/updater-context.js';
import { parseMirrorList } from './mirrors.js';
import { parseRepomd } from './repomd.js';
import { AwsUpdater } from './updater.js';

const AWS = join(SHARED_DATA, 'aws');
const REAL_UPDATEINFO_SHA256 = '9dd3ce045294b530720d13829817254e3cd67ec1ac36f66069238d9d111d3cc0';

describe('aws updater on claircore’s real mirror lists and repomd.xml', { skip: sharedDataSkip('aws/test_repomd.xml') }, async () => {
  const ctx = await updaterContext();
  const servers: FeedServer[] = [];
  after(async () => {
    for (const s of servers) await s.close();
    await ctx.cleanup();
  });

  it('parses the three mirror lists (AL2 and AL2023 have no final newline)', () => {
    const list = (n: string): string[] => parseMirrorList(readFileSync(join(AWS, `mirrors_linux${n}.txt`), 'utf8'));
    const al1 = list('1');
    assert.equal(al1.length, 11);
    assert.equal(al1[0], 'http://packages.us-west-2.amazonaws.com/2018.03/updates/c539f2128d87/x86_64/');
    assert.deepEqual(list('2'), ['https://cdn.amazonlinux.com/2/core/2.0/x86_64/221a4af09d96ac4e34202cc7bdfa252410419542548cc685dc86ed1c17ca4204/']);
    assert.deepEqual(list('2023'), ['https://cdn.amazonlinux.com/al2023/core/guids/46ff4933b89b948580f3b223b826fee3c1830b85885db3f7f90502c0ac99698c/x86_64/']);
  });

  it('locates updateinfo in the real repomd.xml', () => {
    const entries = parseRepomd(readFileSync(join(AWS, 'test_repomd.xml'), 'utf8'), 't', 'test_repomd.xml');
    assert.deepEqual(entries.map((e) => e.type), ['primary_db', 'other_db', 'group_gz', 'group', 'filelists_db', 'updateinfo']);
    assert.deepEqual(entries.at(-1), { type: 'updateinfo', checksum: { type: 'sha256', value: REAL_UPDATEINFO_SHA256 }, location: 'repodata/updateinfo.xml.gz' });
  });

  /** The real AL2 mirror list, re-hosted on loopback under the same path, serving the real repomd.xml. */
  async function realLayout(): Promise<FeedServer & { mirrorPath: string }> {
    const real = new URL(parseMirrorList(readFileSync(join(AWS, 'mirrors_linux2.txt'), 'utf8'))[0] ?? '');
    const s = await startFeedServer({ [`${real.pathname}repodata/repomd.xml`]: { body: { file: join(AWS, 'test_repomd.xml') } } });
    servers.push(s);
    // Same text as the real file (no final newline), origin swapped for loopback.
    s.routes.set('/2/core/latest/x86_64/mirror.list', { body: readFileSync(join(AWS, 'mirrors_linux2.txt'), 'utf8').replace('https://cdn.amazonlinux.com/', s.url) });
    return Object.assign(s, { mirrorPath: real.pathname });
  }

  it('reports unchanged for the real checksum without downloading updateinfo', async () => {
    const s = await realLayout();
    const u = new AwsUpdater({ release: 'linux2', mirrorList: `${s.url}2/core/latest/x86_64/mirror.list` });
    assert.deepEqual(await u.fetch(ctx, REAL_UPDATEINFO_SHA256), { unchanged: true });
    assert.deepEqual(s.requests.map((r) => r.path), ['/2/core/latest/x86_64/mirror.list', `${s.mirrorPath}repodata/repomd.xml`]);
  });

  it('downloads updateinfo from the real location when the fingerprint differs, and verifies it', async () => {
    const s = await realLayout();
    s.routes.set(`${s.mirrorPath}repodata/updateinfo.xml.gz`, { body: gzipSync('<updates/>') });
    const u = new AwsUpdater({ release: 'linux2', mirrorList: `${s.url}2/core/latest/x86_64/mirror.list` });
    // The bytes served are not the ones the real repomd describes: the download must be refused.
    await assert.rejects(u.fetch(ctx, 'older'), (err: unknown) => isClairError(err, 'UPDATER_FETCH') && err.message.includes(`repomd.xml says sha256 ${REAL_UPDATEINFO_SHA256}`));
    assert.equal(s.requests.at(-1)?.path, `${s.mirrorPath}repodata/updateinfo.xml.gz`);
  });
});

/** What an ALAS advisory page states, read from vunnel's fixture HTML. */
interface Advisory {
  id: string;
  severity: string;
  issued: string;
  mitre: string[];
  packages: Array<{ name: string; version: string; release: string; arch: string }>;
}

function readAdvisoryPage(html: string): Advisory {
  const id = /<h1[^>]*>([^<]+)<\/h1>/.exec(html)?.[1]?.trim() ?? '';
  const severity = /<div id='severity'[\s\S]*?<\/span>\s*<\/span>\s*(\w+)/.exec(html)?.[1] ?? '';
  const issued = /Advisory Release Date:<\/b> (\d{4}-\d{2}-\d{2} \d{2}:\d{2})/.exec(html)?.[1] ?? '';
  const mitre = [...html.matchAll(/href="(https:\/\/cve\.mitre\.org\/cgi-bin\/cvename\.cgi\?name=CVE-[\d-]+)"/g)].map((m) => m[1] ?? '');
  const pre = /<b>New Packages:<\/b><pre>([\s\S]*?)<\/pre>/.exec(html)?.[1] ?? '';
  const packages = [...pre.matchAll(/&nbsp;&nbsp;&nbsp; ([^<]+)<br \/>/g)].map((m) => {
    const nevra = (m[1] ?? '').trim();
    const arch = nevra.slice(nevra.lastIndexOf('.') + 1);
    const nvr = nevra.slice(0, nevra.lastIndexOf('.'));
    const release = nvr.slice(nvr.lastIndexOf('-') + 1);
    const nv = nvr.slice(0, nvr.lastIndexOf('-'));
    return { name: nv.slice(0, nv.lastIndexOf('-')), version: nv.slice(nv.lastIndexOf('-') + 1), release, arch };
  });
  return { id, severity, issued, mitre, packages };
}

/** The advisory as a yum updateinfo document. */
function asUpdateinfo(a: Advisory): string {
  const refs = a.mitre.map((href) => `<reference href="${href.replace(/&/g, '&amp;')}" id="${href.slice(href.indexOf('=') + 1)}" title="" type="cve"/>`).join('');
  const pkgs = a.packages.map((p) => `<package arch="${p.arch}" epoch="0" name="${p.name}" release="${p.release}" version="${p.version}"><filename>${p.name}.rpm</filename></package>`).join('');
  return `<?xml version="1.0" encoding="UTF-8"?><updates><update status="final" type="security"><id>${a.id}</id><issued date="${a.issued}"/><severity>${a.severity.toLowerCase()}</severity><description>${a.id}</description><references>${refs}</references><pkglist><collection>${pkgs}</collection></pkglist></update></updates>`;
}

describe('aws updater on real ALAS advisories (vunnel fixtures)', { skip: sharedDataSkip('aws/vunnel-fixtures/input/2_html/ALAS-2018-939') }, () => {
  const cases = [
    { file: '2_html/ALAS-2018-939', release: 'linux2', id: 'ALAS-2018-939', normalized: 'Critical', packages: 14, sample: ['kernel', 'x86_64', '4.9.76-38.79.amzn2'] },
    { file: '2023_html/ALAS-2023-126', release: 'linux2023', id: 'ALAS2023-2023-126', normalized: 'High', packages: 34, sample: ['kpartx', 'aarch64', '0.8.7-16.amzn2023.0.1'] },
  ] as const;
  for (const c of cases) {
    it(`${c.id}: one ${c.normalized} record per listed package, fixed at its EVR`, async () => {
      const advisory = readAdvisoryPage(readFileSync(join(AWS, 'vunnel-fixtures', 'input', c.file), 'utf8'));
      assert.equal(advisory.id, c.id);
      const gz = gzipSync(asUpdateinfo(advisory));
      const sum = createHash('sha256').update(gz).digest('hex');
      const s = await startFeedServer({
        '/repodata/repomd.xml': { body: `<repomd><data type="updateinfo"><checksum type="sha256">${sum}</checksum><location href="repodata/updateinfo.xml.gz"/></data></repomd>` },
        '/repodata/updateinfo.xml.gz': { body: gz },
      });
      s.routes.set('/mirror.list', { body: s.url });
      const ctx = await updaterContext();
      try {
        const u = new AwsUpdater({ release: c.release, mirrorList: `${s.url}mirror.list` });
        assert.deepEqual(await u.fetch(ctx, undefined), { unchanged: false, fingerprint: sum });
        const records = await collect(u.parse(ctx));
        assert.equal(records.length, c.packages);
        assert.ok(records.every((r) => r.name === c.id && r.normalizedSeverity === c.normalized && r.archOp === 'equals' && r.package.kind === 'binary'));
        assert.ok(records.every((r) => r.links === advisory.mitre.join(' ') && r.links.includes('CVE-')));
        assert.ok(records.some((r) => r.package.name === c.sample[0] && r.package.arch === c.sample[1] && r.fixedInVersion === c.sample[2]));
        assert.ok(records.every((r) => r.distribution?.versionId === (c.release === 'linux2' ? '2' : '2023')));
        assert.deepEqual(records[0]?.issued, new Date(`${advisory.issued.replace(' ', 'T')}:00Z`));
      } finally {
        await s.close();
        await ctx.cleanup();
      }
    });
  }
});
