/**
 * @module The `java` package scanner (claircore `java`, version 8): Maven
 * artifacts in `.jar`, `.war`, `.ear`, `.jpi` and `.hpi` archives, and in
 * the archives bundled inside them.
 */
import { createHash } from 'node:crypto';
import type { LayerFS } from '../../indexer/layer-fs.js';
import type { PackageScanner, ScanContext } from '../../indexer/scanner.js';
import type { ScannedPackage, ScannedRepository } from '../../model/scanned.js';
import { rpmPathSet } from '../rpm/path-set.js';
import { selectInWalkOrder } from '../internal/walk-order.js';
import { DEFAULT_JAR_LIMITS, JarSkip, parseJar, type JarInfo } from './jar.js';
import { openZip } from '../../lib/zip.js';

/** Persisted scanner identity; changing one is a migration. */
export const JAVA_SCANNER_NAME = 'java';
export const JAVA_SCANNER_VERSION = '8';
export const JAVA_SCANNER_KIND = 'package';

/** The repository every Java package is reported in (claircore `java.Repository`). */
export const MAVEN_REPOSITORY: ScannedRepository = { name: 'maven', uri: 'https://repo1.maven.apache.org/maven2', key: '', cpe: '' };

/**
 * Largest archive read (512 MiB). Zip needs random access (the directory is
 * at the end), so an archive is read whole; claircore buffers it in memory
 * too. Larger files are skipped.
 */
export const JAVA_READ_LIMIT = 512 * 1024 * 1024; // 512 MiB

const EXTENSIONS = /\.(jar|war|ear|jpi|hpi)$/;

/** claircore's `packageDb` for an artifact: by where its information came from. */
function packageDbOf(info: JarInfo, path: string): string | undefined {
  const idx = info.source.lastIndexOf(':');
  const db = idx < 0 ? path : info.source.slice(0, idx);
  const last = info.source.slice(idx + 1);
  if (last.endsWith('pom.properties')) return `maven:${db}`;
  if (last === 'META-INF/MANIFEST.MF') return `jar:${db}`;
  if (last === '.') return `file:${db}`;
  return undefined;
}

/**
 * Reports every identified artifact of every archive in the layer that is a
 * valid zip and not owned by an rpm package. Archives that are not jars, or
 * cannot be identified, are skipped. `repositoryHint` is `sha1:<hex>` of the
 * archive the artifact was found in (the bundled one for nested artifacts).
 */
export const javaPackageScanner = {
  name: JAVA_SCANNER_NAME,
  version: JAVA_SCANNER_VERSION,
  kind: JAVA_SCANNER_KIND,
  defaultRepository: MAVEN_REPOSITORY,
  async scan(layer: LayerFS, context: ScanContext): Promise<ScannedPackage[]> {
    context.signal?.throwIfAborted();
    const candidates = await selectInWalkOrder(
      layer,
      (e) => e.type === 'file' && e.size <= JAVA_READ_LIMIT && EXTENSIONS.test(e.path.slice(e.path.lastIndexOf('/') + 1)),
      context,
    );
    if (candidates.length === 0) return [];
    const owned = await rpmPathSet(layer);
    const out: ScannedPackage[] = [];
    for (const entry of candidates) {
      if (owned.has(entry.path)) continue;
      context.signal?.throwIfAborted();
      const bytes = await layer.readFile(entry.path, { maxBytes: JAVA_READ_LIMIT });
      const zip = await openZip(bytes).catch(() => undefined);
      if (zip === undefined) continue; // not actually a jar: invalid zip
      const infos = await parseJar(entry.path, zip, DEFAULT_JAR_LIMITS);
      if (infos instanceof JarSkip) continue;
      const sha1 = createHash('sha1').update(bytes).digest('hex');
      for (const info of infos) {
        const packageDb = packageDbOf(info, entry.path);
        if (packageDb === undefined) continue;
        out.push({
          name: info.name,
          version: info.version,
          kind: 'binary',
          arch: '',
          module: '',
          cpe: '',
          packageDb,
          filepath: entry.path,
          repositoryHint: `sha1:${info.sha1 ?? sha1}`,
        });
      }
    }
    return out;
  },
} as const satisfies PackageScanner;
