/**
 * @module Node.js package scanner (claircore `nodejs.Scanner`, version 3):
 * every `package.json` below a `node_modules/` directory with a `name` and a
 * `version`. Unlike Clair, the default registry enables it. The version is
 * kept as written; its semver normalized form (major, minor, patch) is added
 * when it parses as npm semver (loosely, as npm reads installed manifests).
 * A manifest that is not JSON, or larger than 16 MiB, is skipped rather than
 * failing the layer: `node_modules` trees carry test fixtures of every shape.
 */
import type { ScannedPackage, ScannedRepository } from '../../indexer/scanned.js';
import type { PackageScanner } from '../../indexer/scanner.js';
import { parseNpm, semver } from '../../versions/semver/index.js';
import { basename, checkAborted, readSmallText, regularFiles } from '../internal/layer-files.js';

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

/** Finds packages installed in node_modules trees. */
export const nodejsPackageScanner = {
  name: NODEJS_PACKAGE_SCANNER_NAME,
  version: NODEJS_PACKAGE_SCANNER_VERSION,
  kind: NODEJS_PACKAGE_SCANNER_KIND,
  defaultRepository: NPM_REPOSITORY,
  async scan(layer, context) {
    checkAborted(context);
    const out: ScannedPackage[] = [];
    for (const { path } of regularFiles(layer)) {
      if (basename(path).startsWith('.wh.') || !isModuleManifest(path)) continue;
      checkAborted(context);
      const text = await readSmallText(layer, path, NODEJS_PACKAGE_SCANNER_NAME, PACKAGE_JSON_LIMIT);
      const manifest = text === undefined ? undefined : parseManifest(text);
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
