/**
 * End to end on the debootstrapped Debian bookworm image: indexed over HTTP,
 * Debian security-tracker data loaded by the real updater from a loopback
 * mirror and tracker, and the vulnerability report requested through the API.
 *
 * The tracker document is written here in the tracker's JSON format, built
 * from the image's real source packages (the real upstream excerpt in
 * ../shared covers other releases and is added when present): for every
 * source package one CVE fixed above the installed version (must appear, with
 * its fixed version), one fixed exactly at it and one fixed below it (must
 * not), one for bullseye only (must not), plus real CVE entries.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { startClair, type ClairProcess } from '../app/start.js';
import { quietLogger, testConfig } from '../test-support/config.js';
import { createTestDatabase, postgresUnavailable, type TestDatabase } from '../test-support/databases.js';
import { expectedLines, IMAGES_DIR, imagesUnavailable, serveImageLayers, type LayerServer } from '../test-support/images.js';
import { startFeedServer, type FeedServer } from '../test-support/feed-server.js';
import type { VulnerabilityReport } from '../model/index.js';
import { indexAndReport, waitForUpdates } from '../test-support/reports.js';
import { assertManifestReportsAccepted } from '../test-support/compat.js';

const skip = imagesUnavailable();
const SHARED_TRACKER = resolve(IMAGES_DIR, '..', '..', 'shared', 'data', 'debian', 'vunnel-fixture-tracker.json');

type Tracker = Record<string, Record<string, { description: string; scope: string; releases: Record<string, { status: string; repositories: Record<string, string>; fixed_version?: string; urgency: string }> }>>;

/** Installed source packages of the image: name → version. */
function sources(): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of expectedLines('debian.debs.txt')) {
    const [, , src, srcVersion] = line.split(' ');
    out.set(src!, srcVersion!);
  }
  return out;
}

function tracker(): Tracker {
  const doc: Tracker = existsSync(SHARED_TRACKER) ? (JSON.parse(readFileSync(SHARED_TRACKER, 'utf8')) as Tracker) : {};
  const entry = (status: string, fixed: string | undefined, urgency: string, release = 'bookworm') => ({
    status,
    repositories: { [release]: fixed ?? 'unknown' },
    ...(fixed !== undefined ? { fixed_version: fixed } : {}),
    urgency,
  });
  let n = 0;
  for (const [src, version] of sources()) {
    const id = () => `CVE-2099-${String(++n).padStart(5, '0')}`;
    doc[src] ??= {};
    doc[src]![id()] = { description: `above ${src}`, scope: 'local', releases: { bookworm: entry('resolved', `${version}+fix1`, 'medium') } };
    doc[src]![id()] = { description: `equal ${src}`, scope: 'local', releases: { bookworm: entry('resolved', version, 'high') } };
    doc[src]![id()] = { description: `below ${src}`, scope: 'local', releases: { bookworm: entry('resolved', '0.1-1', 'low') } };
    doc[src]![id()] = { description: `bullseye only ${src}`, scope: 'local', releases: { bullseye: entry('open', undefined, 'high', 'bullseye') } };
  }
  // Real tracker entries for packages of this image.
  doc.openssl!['CVE-2024-0727'] = { description: 'Processing a maliciously formatted PKCS12 file may lead OpenSSL to crash', scope: 'local', releases: { bookworm: entry('resolved', '3.0.13-1~deb12u1', 'low'), bullseye: entry('resolved', '1.1.1w-0+deb11u2', 'low', 'bullseye') } };
  doc.tar!['CVE-2005-2541'] = { description: 'Tar 1.15.1 does not properly warn the user when extracting setuid or setgid files', scope: 'local', releases: { bookworm: entry('open', undefined, 'unimportant') } };
  return doc;
}

const release = (version: string, codename: string) =>
  `Origin: Debian\nLabel: Debian\nSuite: stable\nVersion: ${version}\nCodename: ${codename}\nDate: Sat, 08 Nov 2026 09:42:10 UTC\nArchitectures: all amd64 arm64\nComponents: main contrib non-free-firmware non-free\nDescription: Debian ${version} Released 08 November 2026\n`;

describe('Debian vulnerability report end to end', { skip }, () => {
  let clair: ClairProcess;
  let layers: LayerServer;
  let feeds: FeedServer;
  let db: TestDatabase;
  let report: VulnerabilityReport;

  before(async () => {
    db = await createTestDatabase((await postgresUnavailable()) ? 'embedded' : 'postgres');
    layers = await serveImageLayers();
    feeds = await startFeedServer({
      '/debian/dists/': { body: '<html><body><a href="bookworm/">bookworm/</a> <a href="bullseye/">bullseye/</a> <a href="sid/">sid/</a></body></html>', contentType: 'text/html' },
      '/debian/dists/bookworm/Release': { body: release('12.12', 'bookworm') },
      '/debian/dists/bullseye/Release': { body: release('11.11', 'bullseye') },
      '/debian/dists/sid/Release': { body: 'Origin: Debian\nSuite: unstable\nCodename: sid\n' },
      '/tracker/data/json': { body: JSON.stringify(tracker()), contentType: 'application/json', lastModified: new Date('2026-11-20T00:00:00Z') },
    });
    const c = { connstring: db.connstring, migrations: true };
    clair = await startClair({
      mode: 'combo',
      log: quietLogger(),
      config: testConfig('combo', {
        indexer: c,
        matcher: { ...c, disable_updaters: false },
        notifier: c,
        // As a Clair user writes it: mirror_url is the mirror root, as claircore reads it.
        updaters: { sets: ['debian'], config: { debian: { mirror_url: feeds.url, json_url: `${feeds.url}tracker/data/json` } } },
      }),
    });
    await waitForUpdates(clair, ['debian/updater'], 180_000);
    report = await indexAndReport(clair, layers.manifest('debian'));
  });
  after(async () => {
    await clair?.close();
    await layers?.close();
    await feeds?.close();
    await db?.drop();
  });

  /** Names of the vulnerabilities reported for a binary package, with fixed versions. */
  const found = (binary: string): string[] => {
    const pkg = Object.values(report.packages).find((p) => p.name === binary && p.kind === 'binary');
    assert.ok(pkg, `${binary} is in the report`);
    return (report.package_vulnerabilities[pkg.id] ?? []).map((id) => `${report.vulnerabilities[id]!.description.split(' ')[0]} ${report.vulnerabilities[id]!.name} (${report.vulnerabilities[id]!.fixed_in_version})`).sort();
  };

  it('reports, for every installed package, exactly the CVEs fixed above its version, with the fix', () => {
    const installed = expectedLines('debian.debs.txt').map((l) => l.split(' '));
    for (const [binary, , src, srcVersion] of installed) {
      const mine = found(binary!).filter((f) => !f.includes('CVE-2024-0727') && !f.includes('CVE-2005-2541'));
      assert.equal(mine.length, 1, `${binary} (source ${src}): ${mine.join('; ')}`);
      assert.match(mine[0]!, new RegExp(`^above CVE-2099-\\d{5} \\(${srcVersion!.replace(/[.+~^]/g, '\\$&')}\\+fix1\\)$`));
    }
  });

  it('reports known real CVEs by their tracker data: fixed ones only when older, open ones always', () => {
    assert.deepEqual(found('libssl3').filter((f) => f.includes('CVE-2024-0727')), [], 'openssl 3.0.22 has the 3.0.13 fix');
    assert.deepEqual(found('tar').filter((f) => f.includes('CVE-2005-2541')), ['Tar CVE-2005-2541 ()']);
    const tarVuln = Object.values(report.vulnerabilities).find((v) => v.name === 'CVE-2005-2541')!;
    assert.equal(tarVuln.severity, 'unimportant');
    assert.equal(tarVuln.normalized_severity, 'Low', 'Debian urgencies map one step up, as upstream');
    assert.equal(tarVuln.links, 'https://security-tracker.debian.org/tracker/CVE-2005-2541');
    assert.equal(tarVuln.distribution?.version_code_name, 'bookworm');
    assert.equal(tarVuln.package?.name, 'tar');
  });

  it('matches by source package: every binary of a source shares its findings', () => {
    assert.deepEqual(found('libssl3'), found('openssl'));
    assert.deepEqual(found('libcurl4'), found('curl'));
  });

  it('gives reports that Quay\'s client and Clair\'s published schema accept, and Quay lists the findings', async () => {
    const features = await assertManifestReportsAccepted(clair, layers.manifest('debian'));
    const tar = features.find((f) => f.name === 'tar')!;
    assert.ok(tar.vulnerabilities.some((v) => v.name === 'CVE-2005-2541' && v.severity === 'Low' && v.fixedBy === ''));
    assert.ok(features.every((f) => f.addedBy.startsWith('sha256:')));
  });
});
