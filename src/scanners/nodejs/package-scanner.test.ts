import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import type { LayerFS } from '../../indexer/layer-fs.js';
import { openLayerFromStream } from '../../indexer/layer/index.js';
import { nestedNodeModulesPackages, nestedNodeModulesTar } from '../../test-support/hostile-layers.js';
import { digestOf, gzip } from '../../test-support/layer-builder.js';
import { scanEntries } from '../../test-support/scan.js';
import { formatNormalized } from '../../versions/scheme.js';
import { nodejsPackageScanner as scanner } from './package-scanner.js';

const APP = 'usr/src/app';

/** `layer` with every call counted by method, and the paths read. */
function counting(layer: LayerFS): { layer: LayerFS; calls: Record<string, number>; read: string[] } {
  const calls: Record<string, number> = { entries: 0, lstat: 0, stat: 0, readDir: 0, readFile: 0, createReadStream: 0 };
  const read: string[] = [];
  const count = (method: string): void => {
    calls[method]! += 1;
  };
  return {
    calls,
    read,
    layer: {
      digest: layer.digest,
      entries: () => (count('entries'), layer.entries()),
      lstat: (path) => (count('lstat'), layer.lstat(path)),
      stat: (path) => (count('stat'), layer.stat(path)),
      readDir: (dir) => (count('readDir'), layer.readDir(dir)),
      readFile: (path, options) => (count('readFile'), read.push(path), layer.readFile(path, options)),
      createReadStream: (path) => (count('createReadStream'), layer.createReadStream(path)),
    },
  };
}

function manifest(fields: Record<string, unknown>): string {
  return `${JSON.stringify({ ...fields, description: 'a package', license: 'MIT', main: 'index.js', dependencies: {} }, null, 2)}\n`;
}

describe('nodejs package scanner', () => {
  it('reports packages in node_modules trees, including scoped and nested ones', async () => {
    const found = await scanEntries(scanner, [
      { path: `${APP}/package.json`, content: manifest({ name: 'my-app', version: '1.0.0', private: true }) },
      { path: `${APP}/node_modules/express/package.json`, content: manifest({ name: 'express', version: '4.18.2' }) },
      { path: `${APP}/node_modules/@babel/core/package.json`, content: manifest({ name: '@babel/core', version: '7.23.2' }) },
      { path: `${APP}/node_modules/express/node_modules/debug/package.json`, content: manifest({ name: 'debug', version: '2.6.9' }) },
      { path: `${APP}/node_modules/express/lib/express.js`, content: 'module.exports = {};\n' },
      { path: 'usr/local/lib/node_modules/npm/package.json', content: manifest({ name: 'npm', version: '10.2.4' }) },
    ]);
    assert.deepEqual(found[0], {
      name: 'express',
      version: '4.18.2',
      kind: 'binary',
      arch: '',
      module: '',
      cpe: '',
      normalizedVersion: { kind: 'semver', v: [0, 4, 18, 2, 0, 0, 0, 0, 0, 0] },
      packageDb: `nodejs:${APP}/node_modules/express/package.json`,
      filepath: `${APP}/node_modules/express/package.json`,
      repositoryHint: 'npm',
    });
    assert.deepEqual(found.map((p) => [p.name, p.version, p.filepath]), [
      ['express', '4.18.2', `${APP}/node_modules/express/package.json`],
      ['@babel/core', '7.23.2', `${APP}/node_modules/@babel/core/package.json`],
      ['debug', '2.6.9', `${APP}/node_modules/express/node_modules/debug/package.json`],
      ['npm', '10.2.4', 'usr/local/lib/node_modules/npm/package.json'],
    ]);
    assert.deepEqual(scanner.defaultRepository, { name: 'npm', key: '', uri: 'https://www.npmjs.com/', cpe: '' });
  });

  it('normalizes pre-releases to their major.minor.patch and keeps unparsable versions without a normalized form', async () => {
    const found = await scanEntries(scanner, [
      { path: 'node_modules/next/package.json', content: manifest({ name: 'next', version: '14.1.0-canary.3' }) },
      { path: 'node_modules/legacy/package.json', content: manifest({ name: 'legacy', version: 'v1.2.3' }) },
      { path: 'node_modules/odd/package.json', content: manifest({ name: 'odd', version: 'latest' }) },
    ]);
    assert.deepEqual(found.map((p) => [p.name, p.version, p.normalizedVersion ? formatNormalized(p.normalizedVersion) : undefined]), [
      ['next', '14.1.0-canary.3', 'semver:0.14.1.0.0.0.0.0.0.0'],
      ['legacy', 'v1.2.3', 'semver:0.1.2.3.0.0.0.0.0.0'],
      ['odd', 'latest', undefined],
    ]);
  });

  it('skips manifests without a name or version, invalid JSON and whiteouts', async () => {
    const found = await scanEntries(scanner, [
      { path: 'node_modules/resolve/test/resolver/baz/package.json', content: '{ "main": "quux.js" }\n' },
      { path: 'node_modules/bad/package.json', content: '{ "name": "bad", ' },
      { path: 'node_modules/array/package.json', content: '[]' },
      { path: 'node_modules/numeric/package.json', content: '{ "name": "numeric", "version": 1 }' },
      { path: 'node_modules/gone/.wh.package.json', content: '' },
    ]);
    assert.deepEqual(found, []);
  });

  it('reads each of 2,000 nested package.json files once, in time linear in the listing', { timeout: 120_000 }, async (t) => {
    // The availability issue's layer: 42 s of CPU before, growing with the cube of the nesting.
    const dir = mkdtempSync(join(tmpdir(), 'clair-nodejs-test-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const blob = gzip(nestedNodeModulesTar(2000));
    // Deeper than path_depth allows, and compressing past the ratio cap: both turned off here.
    const opened = await openLayerFromStream(Readable.from([blob]), digestOf(blob), {
      maxPathDepth: Number.POSITIVE_INFINITY,
      maxCompressionRatio: Number.POSITIVE_INFINITY,
      spool: { dir },
    });
    try {
      const { layer, calls, read } = counting(opened);
      const started = performance.now();
      const found = await scanner.scan(layer, {});
      const seconds = (performance.now() - started) / 1000;
      const expected = nestedNodeModulesPackages(2000);
      assert.deepEqual(found.map((p) => [p.name, p.version, p.filepath]), expected);
      assert.deepEqual(calls, { entries: 1, lstat: 0, stat: 0, readDir: 0, readFile: 2000, createReadStream: 0 });
      assert.deepEqual(read, expected.map(([, , path]) => path));
      assert.ok(seconds < 20, `scanning took ${seconds.toFixed(1)} s`);
    } finally {
      await opened.close();
    }
  });
});
