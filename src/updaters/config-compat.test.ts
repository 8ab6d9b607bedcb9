/**
 * Existing Clair configs work unchanged: for every updater set, a loopback
 * server lays files out as that upstream does, an `updaters.config` block is
 * written the way a Clair user writes it (YAML, claircore's keys), and the
 * set must request exactly the URLs claircore builds from those keys and
 * produce records. Updaters are run as the manager runs them: the set's
 * `checkConfig` (no lints for a documented config), `create`, then each
 * updater's `configure` with its own block when there is one, fetch, parse.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { parse as parseYaml } from 'yaml';
import type { VulnerabilityRecord } from '../model/index.js';
import { collect, startFeedServer, type FeedRoute, type FeedServer } from '../test-support/feed-server.js';
import { setContext, updaterContext } from '../test-support/updater-context.js';
import { buildTar, zstdRaw } from '../test-support/layer-builder.js';
import { DEFAULT_SET_FACTORIES } from '../app/defaults/updaters.js';
import { treeRoutes } from '../test-support/dpkg-feeds.js';
import { zipOf, GHSA_NPM, PYSEC } from './osv/fixtures.case.js';

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));
const read = (path: string): Buffer => readFileSync(here(path));

/** `updaters.config` from a Clair YAML snippet, with `{{base}}` standing for the server's root URL (ending in `/`). */
function clairConfig(yaml: string, base: string): Record<string, unknown> {
  const doc = parseYaml(yaml.replaceAll('{{base}}', base)) as { updaters: { config: Record<string, unknown> } };
  return doc.updaters.config;
}

interface Run {
  /** Records by updater name. */
  records: Map<string, VulnerabilityRecord[]>;
  /** `METHOD /path?query`, in request order. */
  requests: string[];
}

/**
 * Runs set `name` against `server` as the manager would; only the updaters
 * `only` accepts are fetched (the others would reach for the internet).
 */
async function update(name: string, config: Record<string, unknown>, server: FeedServer, only: (updater: string) => boolean = () => true): Promise<Run> {
  const factory = DEFAULT_SET_FACTORIES.find((f) => f.name === name);
  assert.deepEqual(factory!.checkConfig(config[name]), [], 'a documented config has no lints');
  server.requests.length = 0;
  const records = new Map<string, VulnerabilityRecord[]>();
  for (const u of await factory!.create(setContext(config[name]))) {
    if (!only(u.name)) continue;
    if (config[u.name] !== undefined) assert.deepEqual(u.configure?.(config[u.name]), [], `${u.name} takes its block without lints`);
    const ctx = await updaterContext();
    try {
      const got = await u.fetch(ctx, undefined);
      assert.equal(got.unchanged, false, u.name);
      records.set(u.name, await collect(u.parse(ctx)));
    } finally {
      await ctx.cleanup();
    }
  }
  const requests = server.requests.map((r) => `${r.method} ${r.path}`);
  return { records, requests };
}

const servers: FeedServer[] = [];
async function serve(routes: Record<string, FeedRoute>): Promise<FeedServer> {
  const s = await startFeedServer(routes);
  servers.push(s);
  return s;
}
after(async () => {
  for (const s of servers) await s.close();
});

const count = (run: Run, updater: string): number => run.records.get(updater)?.length ?? 0;

describe('Clair updater configs against loopback upstreams', { timeout: 60_000 }, () => {
  describe('debian', () => {
    const YAML = `
updaters:
  sets: [debian]
  config:
    debian:
      mirror_url: {{base}}
      json_url: {{base}}tracker/data/json
`;
    const routes = async (): Promise<Record<string, FeedRoute>> => ({
      ...(await treeRoutes(here('./debian/testdata/mirror'), '/')),
      '/tracker/data/json': { body: read('./debian/testdata/tracker.json'), contentType: 'application/json', lastModified: new Date('2024-09-20T08:00:00Z') },
    });

    it('reads the mirror root’s debian/dists/ (as claircore) and the tracker, giving bookworm records', async () => {
      const s = await serve(await routes());
      const run = await update('debian', clairConfig(YAML, s.url), s);
      assert.deepEqual(run.requests.sort(), [
        'GET /debian/dists/',
        'GET /debian/dists/bookworm/Release',
        'GET /debian/dists/bullseye/Release',
        'GET /debian/dists/current/Release',
        'GET /debian/dists/forky/Release',
        'GET /debian/dists/trixie/Release',
        'GET /debian/dists/wheezy/Release',
        'GET /tracker/data/json',
      ]);
      const records = run.records.get('debian/updater')!;
      const bookworm = records.filter((r) => r.distribution?.versionCodeName === 'bookworm');
      assert.deepEqual(bookworm.map((r) => `${r.package.name} ${r.name} ${r.fixedInVersion}`), [
        'curl CVE-2023-38545 7.88.1-10+deb12u4',
        'openssl CVE-2024-0727 3.0.13-1~deb12u1',
        'openssl CVE-2023-5678 ',
        'glibc CVE-2010-4756 ',
        'linux CVE-2024-1086 6.1.76-1',
      ]);
      assert.ok(bookworm.every((r) => r.distribution?.versionId === '12'));
    });

    it('still succeeds when the mirror listing answers 500, with records for the built-in releases', async () => {
      const s = await serve(await routes());
      s.routes.set('/debian/dists/', { body: 'down', failFirst: [500] });
      const run = await update('debian', clairConfig(YAML, s.url), s);
      assert.deepEqual(run.requests.sort(), ['GET /debian/dists/', 'GET /tracker/data/json']);
      const releases = [...new Set(run.records.get('debian/updater')!.map((r) => `${r.distribution?.versionCodeName} ${r.distribution?.versionId}`))];
      assert.deepEqual(releases.sort(), ['bookworm 12', 'bullseye 11', 'buster 10', 'stretch 9', 'trixie 13']);
    });
  });

  it('osv: ecosystems.txt at the host root, bundles under url (Go JoinPath), allowlist, and a per-updater url', async () => {
    const s = await serve({
      '/ecosystems.txt': { body: 'PyPI\nnpm\nGo\nDebian:12\n', contentType: 'text/plain' },
      '/osv/PyPI/all.zip': { body: zipOf([PYSEC]) },
      '/elsewhere/npm.zip': { body: zipOf([GHSA_NPM]) },
    });
    const config = clairConfig(
      `
updaters:
  config:
    osv:
      url: {{base}}osv
      allowlist: [pypi, NPM]
    osv/npm:
      url: {{base}}elsewhere/npm.zip
`,
      s.url,
    );
    const factory = DEFAULT_SET_FACTORIES.find((f) => f.name === 'osv');
    // A root with a path: claircore still reads /ecosystems.txt from the host root, which is worth saying.
    assert.deepEqual(factory!.checkConfig(config.osv), [
      { path: 'updaters.config.osv.url', message: `claircore reads the ecosystem list from the host root (${s.url}ecosystems.txt), not from under this path; the bundles are read from under it` },
    ]);
    const records = new Map<string, number>();
    s.requests.length = 0;
    for (const u of await factory!.create(setContext(config.osv))) {
      if (config[u.name] !== undefined) assert.deepEqual(u.configure?.(config[u.name]), []);
      const ctx = await updaterContext();
      try {
        await u.fetch(ctx, undefined);
        records.set(u.name, (await collect(u.parse(ctx))).length);
      } finally {
        await ctx.cleanup();
      }
    }
    assert.deepEqual(s.requests.map((r) => `${r.method} ${r.path}`), ['GET /ecosystems.txt', 'GET /osv/PyPI/all.zip', 'GET /elsewhere/npm.zip']);
    assert.deepEqual([...records.keys()], ['osv/pypi', 'osv/npm']);
    assert.ok(records.get('osv/pypi')! > 0 && records.get('osv/npm')! > 0, JSON.stringify([...records]));
  });

  it('alpine: url without its trailing slash is the secdb base, and an updater block replaces one file’s URL', async () => {
    const json = (file: string): FeedRoute => ({ body: read(`./alpine/testdata/${file}`), contentType: 'application/json' });
    const s = await serve({
      '/secdb/last-update': { body: '1655237270\n' },
      '/secdb/v3.3/': { body: '' },
      '/secdb/v3.3/main.json': json('v3.17-main.json'),
      '/secdb/edge/main.json': { body: '{"packages": []}' },
      '/mirror/edge-main.json': json('edge-main.json'),
    });
    const run = await update(
      'alpine',
      clairConfig(
        `
updaters:
  config:
    alpine:
      url: {{base}}secdb
    alpine-main-edge-updater:
      url: {{base}}mirror/edge-main.json
`,
        s.url,
      ),
      s,
    );
    assert.deepEqual(run.requests, [
      'GET /secdb/last-update',
      'HEAD /secdb/v3.3/',
      'HEAD /secdb/v3.4/',
      'HEAD /secdb/v4.0/',
      'HEAD /secdb/v3.3/main.json',
      'HEAD /secdb/v3.3/community.json',
      'HEAD /secdb/edge/main.json',
      'HEAD /secdb/edge/community.json',
      'GET /secdb/v3.3/main.json',
      'GET /mirror/edge-main.json',
    ]);
    assert.ok(count(run, 'alpine-main-v3.3-updater') > 0);
    assert.ok(count(run, 'alpine-main-edge-updater') > 0);
  });

  it('ubuntu: the series list at <url><name>/series, and an updater block replacing the OVAL URL', async () => {
    const s = await serve({
      '/lp/1.0/ubuntu/series': { body: JSON.stringify({ entries: [{ name: 'jammy', version: '22.04', active: true }, { name: 'trusty', version: '14.04', active: false }] }), contentType: 'application/json' },
      '/oval/com.ubuntu.jammy.cve.oval.xml.bz2': { body: 'not fetched: the updater block points elsewhere' },
      '/mirror/jammy.xml.bz2': { body: read('./ubuntu/testdata/com.ubuntu.jammy.cve.oval.xml.bz2') },
    });
    const run = await update(
      'ubuntu',
      clairConfig(
        `
updaters:
  config:
    ubuntu:
      url: {{base}}lp/1.0/
      name: ubuntu
      oval_url: {{base}}oval/     # extension: claircore hard-codes Canonical's OVAL host
    ubuntu/updater/jammy:
      url: {{base}}mirror/jammy.xml.bz2
`,
        s.url,
      ),
      s,
    );
    assert.deepEqual(run.requests, ['GET /lp/1.0/ubuntu/series', 'HEAD /oval/com.ubuntu.jammy.cve.oval.xml.bz2', 'GET /mirror/jammy.xml.bz2']);
    assert.ok(count(run, 'ubuntu/updater/jammy') > 0);
  });

  it('rhel-vex: files resolved against url, which is also the updater’s own block', async () => {
    const doc = read('./rhel-vex/testdata/cve-2024-1000.json').toString('utf8');
    const archive = zstdRaw(buildTar([{ type: 'dir', path: '2024/' }, { path: '2024/cve-2024-1000.json', content: doc }]), { blockSize: 4096 });
    const s = await serve({
      '/csaf/v2/vex/archive_latest.txt': { body: 'csaf_vex_2024-02-01.tar.zst\n' },
      '/csaf/v2/vex/csaf_vex_2024-02-01.tar.zst': { body: archive, lastModified: new Date('2024-02-01T00:00:00Z') },
      '/csaf/v2/vex/changes.csv': { body: '"2024/cve-2024-1000.json","2024-01-20T00:00:00+00:00"\n' },
      '/csaf/v2/vex/deletions.csv': { body: '' },
    });
    const run = await update(
      'rhel-vex',
      clairConfig(
        `
updaters:
  config:
    rhel-vex:
      url: {{base}}csaf/v2/vex/
      compressed_file_timeout: 5m
`,
        s.url,
      ),
      s,
    );
    assert.deepEqual(run.requests.sort(), [
      'GET /csaf/v2/vex/archive_latest.txt',
      'GET /csaf/v2/vex/changes.csv',
      'GET /csaf/v2/vex/csaf_vex_2024-02-01.tar.zst',
      'GET /csaf/v2/vex/deletions.csv',
    ]);
    assert.ok(count(run, 'rhel-vex') > 0);
  });

  it('suse: url (slash added, as claircore) is the listing; files resolve against it', async () => {
    const s = await serve({
      '/suse/oval/': { body: '<a href="suse.linux.enterprise.server.15.xml.gz">suse.linux.enterprise.server.15.xml.gz</a> <a href="opensuse.leap.15.4.xml.gz">x</a>', contentType: 'text/html' },
      '/suse/oval/suse.linux.enterprise.server.15.xml.gz': { body: gzipSync(read('./suse/testdata/suse.linux.enterprise.server.15.xml')) },
    });
    const run = await update('suse', clairConfig('updaters:\n  config:\n    suse:\n      url: {{base}}suse/oval\n', s.url), s);
    assert.deepEqual(run.requests, ['GET /suse/oval/', 'GET /suse/oval/suse.linux.enterprise.server.15.xml.gz']);
    assert.ok(count(run, 'suse-updater-suse.linux.enterprise.server.15') > 0);
  });

  it('oracle and photon: a per-updater block (claircore ovalutil url, compression) replaces the file', async () => {
    const s = await serve({
      '/mirror/elsa-2023.xml.bz2': { body: read('./oracle/testdata/com.oracle.elsa-2023.xml.bz2') },
      '/mirror/photon4.xml.gz': { body: gzipSync(read('./photon/testdata/com.vmware.phsa-photon4.xml')) },
    });
    const config = clairConfig(
      `
updaters:
  config:
    oracle-2023-updater:
      url: {{base}}mirror/elsa-2023.xml.bz2
    photon-updater-4.0:
      url: {{base}}mirror/photon4.xml.gz
      compression: gz
`,
      s.url,
    );
    const oracle = await update('oracle', config, s, (u) => u === 'oracle-2023-updater');
    assert.deepEqual(oracle.requests, ['GET /mirror/elsa-2023.xml.bz2']);
    assert.ok(count(oracle, 'oracle-2023-updater') > 0);
    const photon = await update('photon', config, s, (u) => u === 'photon-updater-4.0');
    assert.deepEqual(photon.requests, ['GET /mirror/photon4.xml.gz']);
    assert.ok(count(photon, 'photon-updater-4.0') > 0);
  });

  it('wolfi: its url key (an extension: claircore has no Wolfi set) is used as written', async () => {
    const s = await serve({
      '/wolfi/security.json': { body: read('./alpine/testdata/wolfi-security.json'), contentType: 'application/json' },
    });
    const run = await update('wolfi', clairConfig('updaters:\n  config:\n    wolfi:\n      url: {{base}}wolfi/security.json\n', s.url), s);
    assert.deepEqual(run.requests, ['GET /wolfi/security.json']);
    assert.ok(count(run, 'wolfi-updater') > 0);
  });
});
