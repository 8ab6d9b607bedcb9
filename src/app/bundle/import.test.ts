/**
 * import-updaters against PostgreSQL: a bundle in claircore's own format
 * (the codec's hand-written fixture) imports one operation per updater with
 * its fingerprint, enrichments included (as operations of kind
 * `enrichment`, looked up by tag afterwards); a repeat, or an older
 * bundle after a newer one, changes nothing; a bundle broken half way keeps
 * the operations before the bad line and names it; and the ways in (file,
 * standard input, http(s) URL) fail clearly when they cannot be read.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { isClairError } from '../../lib/errors.js';
import { SqlMatcherStore } from '../../store/matcher/sql-matcher-store.js';
import { openDatabase } from '../../store/open.js';
import { quietLogger, testConfig } from '../../test-support/config.js';
import { createPostgresDatabase, postgresUnavailable, type TestDatabase } from '../../test-support/databases.js';
import { serveBlobs, type BlobServer } from '../../test-support/layer-builder.js';
import { importUpdaters, type ImportOptions } from './import.js';
import { openBundleInput } from './input.js';

const FIXTURE = readFileSync(new URL('../../updaters/bundle/testdata/claircore-bundle.jsonl', import.meta.url), 'utf8');
const dir = mkdtempSync(join(tmpdir(), 'bundle-import-test-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** The fixture with every fingerprint suffixed, standing in for a newer export. */
const newer = (suffix: string): string => FIXTURE.replace(/"Fingerprint":"((?:[^"\\]|\\.)*)"/g, (_m, fp: string) => `"Fingerprint":"${fp}${suffix}"`).replace(/"Ref":"([0-9a-f]{8})/g, (_m, head: string) => `"Ref":"${head.replace(/^./, 'e')}`);

function file(name: string, data: string | Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, data);
  return path;
}

describe('import-updaters into PostgreSQL', { skip: await postgresUnavailable() }, () => {
  let db: TestDatabase;
  let store: SqlMatcherStore;
  let close: () => Promise<void>;
  const run = (source: string, extra: Partial<ImportOptions> = {}) =>
    importUpdaters({ config: testConfig('combo', { matcher: { connstring: db.connstring, migrations: true } }), source, log: quietLogger(), ...extra });
  const operations = async (): Promise<Record<string, string[]>> =>
    Object.fromEntries(Object.entries(await store.updateOperations('vulnerability')).map(([u, ops]) => [u, ops.map((o) => o.fingerprint)]));

  before(async () => {
    db = await createPostgresDatabase();
  });
  after(async () => {
    await close?.();
    await db?.drop();
  });

  it('imports claircore\'s format: one operation per updater with its fingerprint, enrichments included', async () => {
    const result = await run(file('fixture.jsonl', FIXTURE));
    assert.deepEqual(result.imported.map(({ updater, kind, fingerprint, records }) => ({ updater, kind, fingerprint, records })), [
      { updater: 'alpine-main-v3.19-updater', kind: 'vulnerability', fingerprint: '"etag-1"', records: 2 },
      { updater: 'rhel-vex', kind: 'vulnerability', fingerprint: 'something\\somethingelse\\2026-02-01T00:00:00Z\\6', records: 2 },
      { updater: 'osv/PyPI', kind: 'vulnerability', fingerprint: 'etag:"abc"', records: 1 },
      { updater: 'clair.cvss', kind: 'enrichment', fingerprint: '', records: 1 },
    ]);
    assert.deepEqual(result.skipped, []);
    const handle = await openDatabase(db.connstring, { dataDir: dir });
    close = () => handle.close();
    store = new SqlMatcherStore(handle);
    assert.deepEqual(Object.keys(await store.updateOperations('enrichment')), ['clair.cvss']);
    assert.deepEqual(await store.enrichments('clair.cvss', [['CVE-2026-1111'], ['openssl'], ['CVE-2026-0000']]), [
      [{ tags: ['CVE-2026-1111', 'openssl'], enrichment: { baseScore: 9.8, vectorString: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' } }],
      [{ tags: ['CVE-2026-1111', 'openssl'], enrichment: { baseScore: 9.8, vectorString: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' } }],
      [],
    ]);
    assert.deepEqual(await operations(), { 'alpine-main-v3.19-updater': ['"etag-1"'], 'osv/PyPI': ['etag:"abc"'], 'rhel-vex': ['something\\somethingelse\\2026-02-01T00:00:00Z\\6'] });
    const [candidates] = await store.query([{ names: [{ name: 'ubi9/nodejs-18', kind: 'ancestry' }], constraints: { repo_key: 'rhcc-container-repository' } }]);
    assert.equal(candidates?.length, 1);
    const candidate = candidates![0]!;
    assert.deepEqual({ name: candidate.vulnerability.name, range: candidate.vulnerability.range, notVulnerable: candidate.notVulnerable }, {
      name: 'CVE-2026-3333',
      range: { '[': 'rhctag:0.0.0.0.0.0.0.0.0.0', ')': 'rhctag:2147483647.0.0.0.0.0.0.0.0.0' },
      notVulnerable: true,
    });
  });

  it('skips every operation of the same bundle imported again, compressed this time and from standard input', async () => {
    const result = await run('-', { stdin: Readable.from([gzipSync(FIXTURE)]) });
    assert.deepEqual(result.imported, []);
    assert.deepEqual(result.skipped.map((s) => s.updater), ['alpine-main-v3.19-updater', 'rhel-vex', 'osv/PyPI', 'clair.cvss']);
    assert.equal(Object.values(await operations()).flat().length, 3);
    assert.equal((await store.updateOperations('enrichment'))['clair.cvss']!.length, 1);
  });

  it('imports a newer bundle, then skips the older one imported after it (no roll-back)', async () => {
    const fresh = await run(file('newer.jsonl', newer('+2')));
    assert.equal(fresh.imported.length, 4);
    const stale = await run(file('fixture.jsonl', FIXTURE));
    assert.deepEqual(stale.imported, []);
    assert.equal(stale.skipped.length, 4);
    assert.deepEqual((await store.updateOperations('enrichment'))['clair.cvss']!.map((o) => o.fingerprint), ['+2', '']);
    assert.deepEqual((await operations())['osv/PyPI'], ['etag:"abc"+2', 'etag:"abc"']);
  });

  it('keeps the operations before a malformed line, imports none after it, and names the line', async () => {
    const lines = newer('+3').split('\n');
    lines[3] = lines[3]!.replace('"normalized_severity":"Unknown"', '"normalized_severity":"Whatever"');
    await assert.rejects(run(file('broken.jsonl', lines.join('\n'))), (err: unknown) => {
      assert.ok(isClairError(err, 'BUNDLE_FORMAT'));
      assert.equal((err as Error).message, 'bundle line 4: Vuln.normalized_severity: unknown severity "Whatever" (known: Unknown, Negligible, Low, Medium, High, Critical)');
      return true;
    });
    const ops = await operations();
    assert.deepEqual(ops['alpine-main-v3.19-updater']![0], '"etag-1"+3', 'the operation before the bad line is in');
    assert.deepEqual(ops['rhel-vex']![0], 'something\\somethingelse\\2026-02-01T00:00:00Z\\6+2', 'the broken operation is not');
    assert.deepEqual(ops['osv/PyPI']![0], 'etag:"abc"+2', 'nothing after it');
  });

  it('downloads a bundle from an http URL', async () => {
    const server = await serveBlobs({ '/bundle.zst': { body: gzipSync(newer('+4')) } });
    try {
      const result = await run(server.url('/bundle.zst'));
      assert.equal(result.imported.length, 4);
    } finally {
      await server.close();
    }
  });
});

describe('import-updaters input', () => {
  let server: BlobServer;
  before(async () => {
    server = await serveBlobs({ '/gone': { body: new Uint8Array(), script: [404] }, '/stall': { body: Buffer.alloc(4096, 'x'), script: ['stall'] } });
  });
  after(() => server.close());

  const assertInputError = async (promise: Promise<unknown>, message: string | RegExp): Promise<void> => {
    await assert.rejects(promise, (err: unknown) => {
      assert.ok(isClairError(err, 'BUNDLE_INPUT'), String(err));
      if (typeof message === 'string') assert.equal((err as Error).message, message);
      else assert.match((err as Error).message, message);
      return true;
    });
  };

  it('names a path that is neither a file nor a URL, a directory, and an unsupported URL scheme', async () => {
    await assertInputError(openBundleInput(join(dir, 'absent.zst')), `import-updaters: cannot open ${join(dir, 'absent.zst')}: no such file, and not an http(s) URL`);
    await assertInputError(openBundleInput(dir), `import-updaters: ${dir} is a directory, not a bundle`);
    await assertInputError(openBundleInput('ftp://example.invalid/bundle'), 'import-updaters: cannot open ftp://example.invalid/bundle: no such file (ftp: URLs are not supported; use http or https)');
  });

  it('refuses standard input that is a terminal instead of waiting on it', async () => {
    await assertInputError(openBundleInput('-', { stdin: Object.assign(Readable.from([]), { isTTY: true }) }), 'import-updaters: standard input is a terminal; pipe a bundle in, or name a file or URL');
  });

  it('names the URL and status of a download that is not a 200', async () => {
    await assertInputError(openBundleInput(`${server.url('/gone')}?token=secret`), `import-updaters: unexpected status requesting ${server.url('/gone')}: 404 Not Found`);
  });

  it('ends a download that stalls instead of hanging', async () => {
    const input = await openBundleInput(server.url('/stall'), { idleTimeoutMs: 300 });
    const read = async (): Promise<number> => {
      let n = 0;
      for await (const chunk of input.bytes) n += chunk.byteLength;
      return n;
    };
    await assertInputError(read(), new RegExp(`^import-updaters: download of ${server.url('/stall').replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} stalled: no data for 300 ms after 2048 bytes$`));
  });
});
