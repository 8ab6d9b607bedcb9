/**
 * export-updaters on loopback feeds: `-s` narrows the configured sets, a
 * failing updater or set is logged and left out (exit 0, or 1 with
 * `--strict`, the bundle written either way), standard output gets the
 * bundle, and an output that cannot be created fails before any updater
 * runs. The enrichers the config names are exported beside the updaters,
 * as operations of kind `enrichment`.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { isClairError } from '../../lib/errors.js';
import { quietLogger, testConfig } from '../../test-support/config.js';
import { decompressedBundle, readBundle } from '../../updaters/bundle/index.js';
import { ALPINE_UPDATER, clairctl, OSV_UPDATER, startAirgapScene, type AirgapScene } from './airgap-scene.case.js';
import { exportUpdaters, type ExportOptions } from './export.js';

async function contents(bytes: Uint8Array): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for await (const op of readBundle(decompressedBundle([bytes]))) {
    const names: string[] = [];
    for await (const r of op.records) names.push(op.kind === 'enrichment' ? `${(r as { tags: string[] }).tags.join(',')} (enrichment)` : (r as { name: string }).name);
    out[op.updater] = names.sort();
  }
  return out;
}

const ENRICHMENTS = {
  'clair.cvss': ['CVE-2026-1111 (enrichment)', 'CVE-2026-2222 (enrichment)'],
  'clair.epss': ['CVE-2026-1111 (enrichment)', 'CVE-2026-2222 (enrichment)'],
  'clair.kev': ['CVE-2026-1111 (enrichment)'],
};
const WITHOUT_OSV = { [ALPINE_UPDATER]: ['CVE-2026-0404', 'CVE-2026-1111', 'CVE-2026-2222'], ...ENRICHMENTS };
const ALL = { ...WITHOUT_OSV, [OSV_UPDATER]: ['GHSA-mq26-g339-26xf'] };

describe('export-updaters', () => {
  let scene: AirgapScene;
  const run = (extra: Partial<ExportOptions> & { target: string }) =>
    exportUpdaters({ config: testConfig('combo', { matcher: { disable_updaters: false }, updaters: scene.updaters }), compression: 'zstd', log: quietLogger(), tmpDir: scene.dir, ...extra });

  before(async () => {
    scene = await startAirgapScene();
  });
  after(() => scene.close());

  it('writes every configured updater, each with its fetch fingerprint', async () => {
    const target = join(scene.dir, 'all.zst');
    const result = await run({ target });
    assert.deepEqual(result.failed, []);
    assert.deepEqual(result.exported.map((e) => [e.updater, e.records]).sort(), [[ALPINE_UPDATER, 3], ['clair.cvss', 2], ['clair.epss', 2], ['clair.kev', 1], [OSV_UPDATER, 1]]);
    assert.ok(result.exported.every((e) => e.fingerprint !== ''));
    assert.deepEqual(await contents(readFileSync(target)), ALL);
    assert.equal(result.bytes, readFileSync(target).length);
    assert.deepEqual(readdirSync(scene.dir).filter((f) => f.includes('.partial-') || f.startsWith('clair-export-')), [], 'no temporary files left');
  });

  it('-s runs only the named sets; a set the config does not enable is refused by name', async () => {
    const target = join(scene.dir, 'alpine.zst');
    await run({ target, sets: ['alpine'] });
    assert.deepEqual(await contents(readFileSync(target)), { [ALPINE_UPDATER]: ALL[ALPINE_UPDATER] });
    await assert.rejects(run({ target: join(scene.dir, 'x.zst'), sets: ['alpine', 'debian', 'nope'] }), (err: unknown) => {
      assert.ok(isClairError(err, 'CLI_USAGE'));
      assert.equal((err as Error).message, 'export-updaters: -s/--set "debian", "nope": not an updater set this configuration enables (updaters.sets enables: alpine, osv, clair.cvss, clair.epss, clair.kev)');
      return true;
    });
    assert.equal(existsSync(join(scene.dir, 'x.zst')), false);
    await assert.rejects(
      exportUpdaters({ config: testConfig('combo', { matcher: { disable_updaters: true }, updaters: scene.updaters }), sets: ['alpine'], target: '-', compression: 'none', log: quietLogger() }),
      /updaters\.sets enables: none, because matcher\.disable_updaters is true\)$/,
    );
  });

  it('leaves a failing updater out and exits 0; with --strict exits 1, the bundle written for the others', async (t) => {
    const zip = scene.feeds.routes.get('/PyPI/all.zip')!;
    zip.failFirst = [500, 500];
    t.after(() => {
      zip.failFirst = [];
    });
    const conf = scene.writeConfig('failing.yaml', { updaters: scene.updaters });
    const lenient = join(scene.dir, 'lenient.json');
    assert.equal(await clairctl(['-q', '-c', conf, 'export-updaters', lenient]), 0);
    assert.deepEqual(await contents(readFileSync(lenient)), WITHOUT_OSV);
    const strict = join(scene.dir, 'strict.gz');
    assert.equal(await clairctl(['-q', '-c', conf, 'export-updaters', '--strict', strict]), 1);
    assert.deepEqual(await contents(readFileSync(strict)), WITHOUT_OSV);
    assert.equal(readFileSync(strict)[0], 0x1f, '.gz gives gzip');
    assert.equal(readFileSync(lenient)[0], '{'.charCodeAt(0), '.json gives plain JSON');
  });

  it('names a set that fails to build among the failures', async () => {
    scene.feeds.routes.get('/ecosystems.txt')!.failFirst = [503];
    await assert.rejects(run({ target: join(scene.dir, 'noosv.zst'), strict: true }), (err: unknown) => {
      assert.ok(isClairError(err, 'BUNDLE_EXPORT_INCOMPLETE'));
      assert.equal((err as Error).message, 'export-updaters: 1 failed (set osv); the bundle holds the 4 that succeeded');
      return true;
    });
    assert.deepEqual(await contents(readFileSync(join(scene.dir, 'noosv.zst'))), WITHOUT_OSV);
  });

  it('writes to standard output for -, leaving it open', async () => {
    const stdout = new PassThrough();
    const chunks: Buffer[] = [];
    stdout.on('data', (c: Buffer) => chunks.push(c));
    await run({ target: '-', stdout, compression: 'none' });
    assert.equal(stdout.writableEnded, false);
    assert.deepEqual(await contents(Buffer.concat(chunks)), ALL);
  });

  it('fails before running any updater when the output cannot be created', async () => {
    const requests = scene.feeds.requests.length;
    await assert.rejects(run({ target: join(scene.dir, 'missing', 'dir', 'bundle.zst') }), (err: unknown) => {
      assert.ok(isClairError(err, 'BUNDLE_INPUT'));
      assert.match((err as Error).message, /^export-updaters: cannot create .*missing\/dir\/bundle\.zst: ENOENT/);
      return true;
    });
    assert.equal(scene.feeds.requests.length, requests);
  });
});
