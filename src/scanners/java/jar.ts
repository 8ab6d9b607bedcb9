/**
 * @module Identifying the artifacts in a Java archive (claircore
 * `java/jar.Parse`): every `pom.properties`, else the manifest, else the file
 * name; then, recursively, every archive bundled inside.
 */
import { createHash } from 'node:crypto';
import { identifyFileName, identifyManifest, parsePomProperties } from './metadata.js';
import { openZip, type ZipArchive } from '../../lib/zip.js';

/** One identified artifact. */
export interface JarInfo {
  name: string;
  version: string;
  /**
   * Where the information came from: the archive member (`META-INF/…`) or
   * `.` for a file-name guess, prefixed by `<archive>:` for each level of
   * nesting, as claircore's `Info.Source`.
   */
  source: string;
  /** SHA-1 of the bundled archive this came from; absent for the top-level archive. */
  sha1?: string;
}

/** The reason an archive was not identified; callers skip such archives. */
export class JarSkip {
  constructor(readonly reason: 'not-a-jar' | 'unidentified') {}
}

/** Limits on work per top-level archive, against zip bombs and deep nesting (claircore has none). */
export interface JarLimits {
  /** Deepest nesting followed (the top-level archive is depth 0). */
  maxDepth: number;
  /** Total bytes inflated for bundled archives and metadata files, per top-level archive. */
  maxInflatedBytes: number;
  /** Largest metadata file (manifest, pom.properties) read. */
  maxMetadataBytes: number;
}

/** Defaults: 8 levels, 512 MiB inflated in all, 1 MiB per metadata file. */
export const DEFAULT_JAR_LIMITS: JarLimits = {
  maxDepth: 8,
  maxInflatedBytes: 512 * 1024 * 1024, // 512 MiB
  maxMetadataBytes: 1024 * 1024, // 1 MiB
};

/** Zip local-file-header magic; claircore requires a bundled archive to start with it. */
const ZIP_HEADER = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
/** Size of an empty zip: nothing smaller can be an archive. */
const MIN_SIZE = 22;
const MANIFEST = 'META-INF/MANIFEST.MF';

interface Budget {
  remaining: number;
  readonly limits: JarLimits;
}

async function readCounted(z: ZipArchive, entry: ZipArchive['entries'][number], max: number, budget: Budget): Promise<Buffer | undefined> {
  if (entry.uncompressedSize > max || entry.uncompressedSize > budget.remaining) return undefined;
  budget.remaining -= entry.uncompressedSize;
  return z.read(entry, max);
}

const isArchiveName = (name: string): boolean => /\.(jar|war|ear)$/.test(name.slice(name.lastIndexOf('/') + 1));
const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/**
 * The artifacts in archive `z`, found at layer path (or member path) `name`.
 *
 * @returns the artifacts, or a {@link JarSkip} when the archive is not a jar
 *   (no `META-INF`, unless its name starts with `javax`) or cannot be
 *   identified by any of the three methods.
 */
export async function parseJar(name: string, z: ZipArchive, limits: JarLimits = DEFAULT_JAR_LIMITS): Promise<JarInfo[] | JarSkip> {
  return parse(name, z, 0, { remaining: limits.maxInflatedBytes, limits });
}

async function parse(name: string, z: ZipArchive, depth: number, budget: Budget): Promise<JarInfo[] | JarSkip> {
  const base = name.slice(name.lastIndexOf('/') + 1);
  const files = z.entries.filter((e) => !e.isDirectory).sort(byName);
  const hasMetaInf = z.entries.some((e) => e.name === 'META-INF' || e.name.startsWith('META-INF/'));
  const javax = base.startsWith('javax');
  if (!hasMetaInf && !javax) return new JarSkip('not-a-jar');

  let found: JarInfo[] | undefined;
  // 1. Every pom.properties under META-INF: fat jars keep one per bundled artifact.
  const props = hasMetaInf ? files.filter((e) => e.name.startsWith('META-INF/') && e.name.endsWith('/pom.properties')) : [];
  if (props.length > 0) {
    const infos: JarInfo[] = [];
    for (const p of props) {
      const text = await readCounted(z, p, budget.limits.maxMetadataBytes, budget);
      const id = text === undefined ? undefined : parsePomProperties(text.toString('utf8'));
      if (id === undefined || !id.ok) break; // claircore: one unusable file discards them all
      infos.push({ name: id.name, version: id.version, source: p.name });
    }
    if (infos.length === props.length) found = infos;
  }
  // 2. The manifest's main section.
  if (found === undefined) {
    const mf = files.find((e) => e.name === MANIFEST);
    if (mf === undefined && !javax) return new JarSkip('not-a-jar');
    const text = mf === undefined ? undefined : await readCounted(z, mf, budget.limits.maxMetadataBytes, budget);
    const id = text === undefined ? undefined : identifyManifest(text.toString('utf8'));
    if (id?.ok) found = [{ name: id.name, version: id.version, source: MANIFEST }];
  }
  // 3. The file name.
  if (found === undefined) {
    const id = identifyFileName(name);
    if (!id.ok) return new JarSkip('unidentified');
    found = [{ name: id.name, version: id.version, source: '.' }];
  }
  return [...found, ...(await inner(name, z, files, depth, budget))];
}

async function inner(outer: string, z: ZipArchive, files: ZipArchive['entries'], depth: number, budget: Budget): Promise<JarInfo[]> {
  if (depth >= budget.limits.maxDepth) return [];
  const out: JarInfo[] = [];
  for (const f of files) {
    if (!isArchiveName(f.name) || f.uncompressedSize < MIN_SIZE) continue;
    const bytes = await readCounted(z, f, budget.remaining, budget).catch(() => undefined);
    if (bytes === undefined || !bytes.subarray(0, 4).equals(ZIP_HEADER)) continue;
    const nested = await openZip(bytes).catch(() => undefined);
    if (nested === undefined) continue;
    const infos = await parse(f.name, nested, depth + 1, budget).catch(() => undefined);
    if (infos === undefined || infos instanceof JarSkip) continue;
    const sha1 = createHash('sha1').update(bytes).digest('hex');
    for (const i of infos) out.push({ ...i, sha1, source: `${outer}:${i.source}` });
  }
  return out;
}
