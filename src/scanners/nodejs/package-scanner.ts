/**
 * @module Node.js package scanner (claircore `nodejs.Scanner`, version 3):
 * every `package.json` below a `node_modules/` directory with a `name` and a
 * `version`. Unlike Clair, the default registry enables it. The version is
 * kept as written; its semver normalized form (major, minor, patch) is added
 * when it parses as npm semver (loosely, as npm reads installed manifests).
 * A manifest that is not JSON, or larger than 16 MiB, is skipped rather than
 * failing the layer: `node_modules` trees carry test fixtures of every shape.
 */
import { setImmediate } from 'node:timers/promises';
import type { LayerFS } from '../../indexer/layer-fs.js';
import type { ScannedPackage, ScannedRepository } from '../../model/scanned.js';
import type { PackageScanner } from '../../indexer/scanner.js';
import { parseNpm, semver } from '../../versions/semver/index.js';
import { basename, checkAborted, scannerError } from '../internal/layer-files.js';

/** Persisted identity; changing it is a migration. */
export const NODEJS_PACKAGE_SCANNER_NAME = 'nodejs';
export const NODEJS_PACKAGE_SCANNER_VERSION = '3';
export const NODEJS_PACKAGE_SCANNER_KIND = 'package';

/** The repository every npm package is attributed to. */
export const NPM_REPOSITORY: ScannedRepository = { name: 'npm', key: '', uri: 'https://www.npmjs.com/', cpe: '' };

/** package.json files larger than this (16 MiB; old npm embedded READMEs) are skipped. */
export const PACKAGE_JSON_LIMIT = 16 * 1024 * 1024;

/** True for the manifests this scanner reads. */
export function isModuleManifest(path: string): boolean {
  return path.includes('node_modules/') && path.endsWith('/package.json');
}

/** The name and version of a manifest, if it has both as non-empty strings. */
export function parseManifest(text: string): { name: string; version: string } | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof json !== 'object' || json === null) return undefined;
  const { name, version } = json as { name?: unknown; version?: unknown };
  if (typeof name !== 'string' || typeof version !== 'string' || name === '' || version === '') return undefined;
  return { name, version };
}

/** Entries looked at between two turns of the event loop: a layer can list a million. */
const ENTRIES_PER_TURN = 1024;

/**
 * Finds packages installed in node_modules trees, in one pass over the
 * layer's entries: each `package.json` is read once, by the path its entry
 * gives, whatever the nesting, so the work is linear in the layer's listing.
 */
export const nodejsPackageScanner = {
  name: NODEJS_PACKAGE_SCANNER_NAME,
  version: NODEJS_PACKAGE_SCANNER_VERSION,
  kind: NODEJS_PACKAGE_SCANNER_KIND,
  defaultRepository: NPM_REPOSITORY,
  async scan(layer, context) {
    checkAborted(context);
    const out: ScannedPackage[] = [];
    let seen = 0;
    for (const { path, type, size } of layer.entries()) {
      if (++seen % ENTRIES_PER_TURN === 0) {
        await setImmediate();
        checkAborted(context);
      }
      // Larger manifests are not read (the entry gives the size: no lookup needed).
      if (type !== 'file' || size > PACKAGE_JSON_LIMIT || !isModuleManifest(path) || basename(path).startsWith('.wh.')) continue;
      checkAborted(context);
      const manifest = parseManifest(await readManifest(layer, path));
      if (manifest === undefined) continue;
      const parsed = parseNpm(manifest.version, { loose: true });
      const normalized = parsed.ok ? semver.normalize(parsed.version) : undefined;
      out.push({
        name: manifest.name,
        version: manifest.version,
        kind: 'binary',
        arch: '',
        module: '',
        cpe: '',
        ...(normalized === undefined ? {} : { normalizedVersion: normalized }),
        packageDb: `nodejs:${path}`,
        filepath: path,
        repositoryHint: NPM_REPOSITORY.name,
      });
    }
    return out;
  },
} satisfies PackageScanner;

/** A manifest's text; read failures of a listed file are scanner errors. */
async function readManifest(layer: LayerFS, path: string): Promise<string> {
  try {
    return (await layer.readFile(path, { maxBytes: PACKAGE_JSON_LIMIT })).toString('utf8');
  } catch (err) {
    throw scannerError(NODEJS_PACKAGE_SCANNER_NAME, `unable to read ${JSON.stringify(path)}`, err);
  }
}
