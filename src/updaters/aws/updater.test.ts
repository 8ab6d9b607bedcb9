import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { isClairError } from '../../lib/errors.js';
import type { VulnerabilityRecord } from '../../model/vulnerability-record.js';
import { awsFromOsRelease } from '../../scanners/aws/distribution-scanner.js';
import { collect, startFeedServer, type FeedRoute, type FeedServer } from '../../test-support/feed-server.js';
import { setContext, updaterContext } from '../../test-support/updater-context.js';
import { awsFactory } from './index.js';
import { AwsUpdater } from './updater.js';

const UPDATEINFO = readFileSync(fileURLToPath(new URL('testdata/updateinfo.xml', import.meta.url)), 'utf8');
const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

const repomd = (checksum: string, href = 'repodata/updateinfo.xml.gz', type = 'sha256'): string => `<?xml version="1.0" encoding="UTF-8"?>
<repomd xmlns="http://linux.duke.edu/metadata/repo" xmlns:rpm="http://linux.duke.edu/metadata/rpm">
 <revision>1678300000</revision>
 <data type="primary_db">
  <checksum type="sha256">8931ecdd9407bf434f4051229d5cff68bcdcda48d7a5f7706daac385b20f95ac</checksum>
  <location href="repodata/primary.sqlite.bz2"/>
 </data>
 <data type="updateinfo">
  <checksum type="${type}">${checksum}</checksum>
  <open-checksum type="sha256">3530bd37fdb291b0d5bc92e05fb86bc7403028c0878084626ed11986806865a6</open-checksum>
  <location href="${href}"/>
  <timestamp>1678300000</timestamp>
 </data>
</repomd>
`;

/** A release's feed at its real layout: mirror.list → <mirror>/repodata/{repomd.xml, updateinfo.xml.gz}. */
async function feed(xml = UPDATEINFO, extra: Record<string, FeedRoute> = {}): Promise<FeedServer & { gz: Buffer }> {
  const gz = gzipSync(xml);
  const s = await startFeedServer({
    '/mirror/repodata/repomd.xml': { body: repomd(sha256(gz)) },
    '/mirror/repodata/updateinfo.xml.gz': { body: gz },
    ...extra,
  });
  if (!s.routes.has('/mirror.list')) s.routes.set('/mirror.list', { body: `${s.url}mirror\n` });
  return Object.assign(s, { gz });
}

const AL2 = { did: 'amzn', name: 'Amazon Linux', version: '2', versionCodeName: '', versionId: '2', arch: '', cpe: 'cpe:2.3:o:amazon:amazon_linux:2:*:*:*:*:*:*:*', prettyName: 'Amazon Linux 2' };
const DESCRIPTION = 'Package updates are available for Amazon Linux 2 that fix the following vulnerabilities:\nCVE-2023-23914: curl <7.88.0 HSTS ignored on multiple requests';
const CURL_LINKS = 'https://cve.mitre.org/cgi-bin/cvename.cgi?name=CVE-2023-23914 https://cve.mitre.org/cgi-bin/cvename.cgi?name=CVE-2023-23915';
const rec = (name: string, pkg: string, arch: string, fixed: string, severity: string, normalized: VulnerabilityRecord['normalizedSeverity'], issued: string, description: string, links: string): VulnerabilityRecord => ({
  updater: 'aws-linux2-updater',
  name,
  description,
  issued: new Date(issued),
  links,
  severity,
  normalizedSeverity: normalized,
  package: { name: pkg, version: '', module: '', arch, kind: 'binary' },
  distribution: AL2,
  fixedInVersion: fixed,
  archOp: 'equals',
});

describe('aws ALAS updater', async () => {
  const servers: FeedServer[] = [];
  const serve = async (...args: Parameters<typeof feed>): Promise<FeedServer & { gz: Buffer }> => {
    const s = await feed(...args);
    servers.push(s);
    return s;
  };
  const ctx = await updaterContext();
  after(async () => {
    for (const s of servers) await s.close();
    await ctx.cleanup();
  });
  const updater = (s: FeedServer, release: 'linux1' | 'linux2' | 'linux2023' = 'linux2'): AwsUpdater => new AwsUpdater({ release, mirrorList: `${s.url}mirror.list` });

  it('follows mirror.list → repomd.xml → updateinfo, fingerprints with the checksum, and parses one record per (advisory, package)', async () => {
    const s = await serve();
    const u = updater(s);
    assert.equal(u.name, 'aws-linux2-updater');
    assert.deepEqual(await u.fetch(ctx, undefined), { unchanged: false, fingerprint: sha256(s.gz) });
    assert.deepEqual(s.requests.map((r) => r.path), ['/mirror.list', '/mirror/repodata/repomd.xml', '/mirror/repodata/updateinfo.xml.gz']);
    assert.deepEqual(await collect(u.parse(ctx)), [
      rec('ALAS2-2023-2001', 'curl', 'x86_64', '7.88.1-1.amzn2.0.1', 'important', 'High', '2023-03-07T00:29:00Z', DESCRIPTION, CURL_LINKS),
      rec('ALAS2-2023-2001', 'libcurl', 'aarch64', '7.88.1-1.amzn2.0.1', 'important', 'High', '2023-03-07T00:29:00Z', DESCRIPTION, CURL_LINKS),
      rec('ALAS2-2023-2002', 'emacs-common', 'noarch', '1:25.3-12.amzn2', 'low', 'Low', '2023-04-01T10:11:12Z', 'A flaw in <emacs> & friends.', ''),
      rec('ALAS2-2023-2002', 'emacs', 'x86_64', '25.3-12.amzn2', 'low', 'Low', '2023-04-01T10:11:12Z', 'A flaw in <emacs> & friends.', ''),
    ]);
  });

  it('emits, per release, the distribution the AWS scanner reports', async () => {
    const s = await serve();
    const scanned = {
      linux1: awsFromOsRelease('NAME="Amazon Linux AMI"\nCPE_NAME="cpe:/o:amazon:linux:2018.03:ga"\n'),
      linux2: awsFromOsRelease('NAME="Amazon Linux"\nCPE_NAME="cpe:2.3:o:amazon:amazon_linux:2"\n'),
      linux2023: awsFromOsRelease('NAME="Amazon Linux"\nCPE_NAME="cpe:2.3:o:amazon:amazon_linux:2023"\n'),
    };
    for (const release of ['linux1', 'linux2', 'linux2023'] as const) {
      const u = updater(s, release);
      assert.equal(u.name, `aws-${release}-updater`);
      await u.fetch(ctx, undefined);
      const [first] = await collect(u.parse(ctx));
      assert.deepEqual(first?.distribution, scanned[release]);
    }
  });

  it('is unchanged, without downloading updateinfo, while repomd lists the same checksum', async () => {
    const s = await serve();
    const u = updater(s);
    const first = await u.fetch(ctx, undefined);
    assert.ok(!first.unchanged);
    const before = s.requests.length;
    assert.deepEqual(await u.fetch(ctx, first.fingerprint), { unchanged: true });
    assert.deepEqual(s.requests.slice(before).map((r) => r.path), ['/mirror.list', '/mirror/repodata/repomd.xml']);
  });

  it('returns a new fingerprint when upstream publishes new updateinfo', async () => {
    const s = await serve();
    const u = updater(s);
    const first = await u.fetch(ctx, undefined);
    assert.ok(!first.unchanged);
    const gz = gzipSync(UPDATEINFO.replace('7.88.1', '7.88.2'));
    s.routes.set('/mirror/repodata/repomd.xml', { body: repomd(sha256(gz), 'repodata/abc-updateinfo.xml.gz') });
    s.routes.set('/mirror/repodata/abc-updateinfo.xml.gz', { body: gz });
    const second = await u.fetch(ctx, first.fingerprint);
    assert.deepEqual(second, { unchanged: false, fingerprint: sha256(gz) });
    assert.ok((await collect(u.parse(ctx))).some((r) => r.fixedInVersion === '7.88.2-1.amzn2.0.1'));
  });

  it('verifies the checksum with the algorithm repomd names (sha = SHA-1)', async () => {
    const s = await serve();
    const sha1 = createHash('sha1').update(s.gz).digest('hex');
    s.routes.set('/mirror/repodata/repomd.xml', { body: repomd(sha1, undefined, 'sha') });
    assert.deepEqual(await updater(s).fetch(ctx, undefined), { unchanged: false, fingerprint: sha1 });
  });

  it('rejects a download whose checksum does not match repomd.xml', async () => {
    const s = await serve();
    s.routes.set('/mirror/repodata/repomd.xml', { body: repomd('0'.repeat(64)) });
    await assert.rejects(updater(s).fetch(ctx, undefined), (err: unknown) => {
      assert.ok(isClairError(err, 'UPDATER_FETCH'));
      assert.equal(err.message, `aws-linux2-updater: checksum mismatch for ${s.url}mirror/repodata/updateinfo.xml.gz: repomd.xml says sha256 ${'0'.repeat(64)}, got ${sha256(s.gz)}`);
      return true;
    });
  });

  it('fails with a catalogued error naming the URL and status when mirror.list answers 500', async () => {
    const s = await serve(undefined, { '/mirror.list': { body: 'x', failFirst: [500] } });
    await assert.rejects(updater(s).fetch(ctx, undefined), (err: unknown) => isClairError(err, 'UPDATER_FETCH') && err.message === `aws-linux2-updater: unexpected status requesting ${s.url}mirror.list: 500 Internal Server Error`);
  });

  it('fails over to the next mirror, and names every mirror when all fail', async () => {
    const s = await serve();
    s.routes.set('/mirror.list', { body: `${s.url}dead\n${s.url}mirror\n` });
    assert.equal((await updater(s).fetch(ctx, undefined)).unchanged, false);

    s.routes.set('/mirror.list', { body: `${s.url}dead\n${s.url}also-dead/\n` });
    await assert.rejects(updater(s).fetch(ctx, undefined), (err: unknown) => {
      assert.ok(isClairError(err, 'UPDATER_FETCH'));
      assert.equal(
        err.message,
        `aws-linux2-updater: every mirror failed: aws-linux2-updater: unexpected status requesting ${s.url}dead/repodata/repomd.xml: 404 Not Found; aws-linux2-updater: unexpected status requesting ${s.url}also-dead/repodata/repomd.xml: 404 Not Found`,
      );
      return true;
    });
  });

  it('rejects an updateinfo body cut short instead of hanging', { timeout: 10_000 }, async () => {
    const big = gzipSync(UPDATEINFO.repeat(1).replace('</updates>', `${'<!-- padding -->'.repeat(50_000)}</updates>`), { level: 0 });
    const s = await serve(undefined, {});
    s.routes.set('/mirror/repodata/repomd.xml', { body: repomd(sha256(big)) });
    s.routes.set('/mirror/repodata/updateinfo.xml.gz', { body: big, truncateAt: 64 * 1024 });
    await assert.rejects(updater(s).fetch(ctx, undefined), (err: unknown) => isClairError(err, 'UPDATER_FETCH') && err.message.includes(`${s.url}mirror/repodata/updateinfo.xml.gz`));
  });

  it('rejects malformed updateinfo XML at parse time', async () => {
    const s = await serve('<updates><update><id>ALAS2-1</id></updates>');
    const u = updater(s);
    assert.equal((await u.fetch(ctx, undefined)).unchanged, false);
    await assert.rejects(collect(u.parse(ctx)), (err: unknown) => isClairError(err, 'UPDATER_PARSE') && err.message.startsWith('aws-linux2-updater: malformed updateinfo'));
  });

  it('rejects a repomd.xml without an updateinfo entry, or with an unknown checksum type', async () => {
    const s = await serve();
    s.routes.set('/mirror/repodata/repomd.xml', { body: '<repomd><data type="primary_db"><location href="x"/></data></repomd>' });
    await assert.rejects(updater(s).fetch(ctx, undefined), (err: unknown) => isClairError(err, 'UPDATER_PARSE') && /lists no updateinfo/.test(err.message));
    s.routes.set('/mirror/repodata/repomd.xml', { body: repomd('ab', undefined, 'crc32') });
    await assert.rejects(updater(s).fetch(ctx, undefined), /unsupported checksum type "crc32"/);
  });

  it('rejects an empty mirror list', async () => {
    const s = await serve(undefined, { '/mirror.list': { body: '\n' } });
    await assert.rejects(updater(s).fetch(ctx, undefined), (err: unknown) => isClairError(err, 'UPDATER_PARSE') && /names no mirrors/.test(err.message));
  });
});

describe('aws set factory', () => {
  it('builds one updater per release at claircore’s mirror lists', async () => {
    const us = (await awsFactory.create(setContext(undefined))) as AwsUpdater[];
    assert.equal(awsFactory.name, 'aws');
    assert.deepEqual(us.map((u) => [u.name, u.mirrorList]), [
      ['aws-linux1-updater', 'http://repo.us-west-2.amazonaws.com/2018.03/updates/x86_64/mirror.list'],
      ['aws-linux2-updater', 'https://cdn.amazonlinux.com/2/core/latest/x86_64/mirror.list'],
      ['aws-linux2023-updater', 'https://cdn.amazonlinux.com/al2023/core/mirrors/latest/x86_64/mirror.list'],
    ]);
  });

  it('honours releases and mirror_lists', async () => {
    const us = (await awsFactory.create(setContext({ releases: ['linux2023'], mirror_lists: { linux2023: 'http://mirror.internal/al2023/mirror.list' } }))) as AwsUpdater[];
    assert.deepEqual(us.map((u) => [u.name, u.mirrorList]), [['aws-linux2023-updater', 'http://mirror.internal/al2023/mirror.list']]);
  });

  it('rejects invalid configuration', async () => {
    await assert.rejects(awsFactory.create(setContext({ releases: ['linux3'] })), (err: unknown) => isClairError(err, 'CONFIG_INVALID') && /updaters\.config\.aws\.releases\[0\]: unknown release "linux3"/.test(err.message));
    await assert.rejects(awsFactory.create(setContext({ mirror_lists: { linux2: 'file:///etc/passwd' } })), /updaters\.config\.aws\.mirror_lists\.linux2: must be an http\(s\) URL/);
    await assert.rejects(awsFactory.create(setContext({ mirror_lists: { linux2: 5 } })), /updaters\.config\.aws\.mirror_lists\.linux2: must be a string, got number/);
    assert.deepEqual(awsFactory.checkConfig({ url: 'x' }), [{ path: 'updaters.config.aws.url', message: 'unknown key, ignored (known: releases, mirror_lists)' }], 'claircore\'s aws set reads no config at all');
  });
});
