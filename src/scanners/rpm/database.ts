/**
 * @module Reading one rpm database into packages (claircore
 * `internal/rpm/database.go`, `Database.Packages`).
 */
import type { LayerFS } from '../../indexer/layer-fs.js';
import type { ScannedPackage } from '../../model/scanned.js';
import { formatRpmverEvr, parseRpmver, type Rpmver } from '../../versions/rpm/rpmver.js';
import { bdbHeaderBlobs } from './bdb.js';
import { rpmError } from './errors.js';
import { foundDbString, type FoundDb } from './find.js';
import { parseHeader } from './header.js';
import { loadInfo, moduleStream, rpmHint, type RpmInfo } from './info.js';
import { ndbHeaderBlobs } from './ndb.js';
import { sqliteHeaderBlobs } from './sqlite.js';

/**
 * Largest database file read (1 GiB). Real rpmdbs are tens to a few hundred
 * MiB; the whole file is needed in memory because all three formats need
 * random access (claircore spools it to a temporary file for the same reason).
 */
export const RPM_DB_READ_LIMIT = 1024 * 1024 * 1024; // 1 GiB

/** The header blobs of a found database. */
export async function readHeaderBlobs(layer: LayerFS, db: FoundDb): Promise<Buffer[]> {
  let file: Buffer;
  try {
    file = await layer.readFile(db.file, { maxBytes: RPM_DB_READ_LIMIT });
  } catch (cause) {
    throw rpmError(`rpm: unable to read ${db.kind} db ${db.file}`, cause);
  }
  switch (db.kind) {
    case 'bdb':
      return bdbHeaderBlobs(file);
    case 'ndb':
      return ndbHeaderBlobs(file);
    case 'sqlite':
      return sqliteHeaderBlobs(file);
  }
}

/** Parsed package information of every header, minus `gpg-pubkey` entries (public keys, not packages). */
export function packageInfos(blobs: readonly Buffer[]): RpmInfo[] {
  const out: RpmInfo[] = [];
  for (const blob of blobs) {
    const info = loadInfo(parseHeader(blob));
    if (info.name === 'gpg-pubkey') continue;
    out.push(info);
  }
  return out;
}

function evr(info: RpmInfo): string {
  return formatRpmverEvr({ epoch: String(info.epoch), version: info.version, release: info.release });
}

/**
 * claircore's mapping of header information to packages. The source package
 * comes from SOURCERPM with `.rpm`, then `.src`, then `.nosrc` trimmed,
 * parsed as a NEVR; `(none)`, empty or unparsable values give no source (as
 * claircore, which logs and moves on). Sources are shared between binaries
 * of one database.
 */
export function toPackages(infos: readonly RpmInfo[], packageDb: string): ScannedPackage[] {
  const sources = new Map<string, ScannedPackage | undefined>([
    ['(none)', undefined],
    ['', undefined],
  ]);
  return infos.map((info) => {
    const pkg: ScannedPackage = {
      name: info.name,
      version: evr(info),
      kind: 'binary',
      arch: info.arch,
      module: moduleStream(info.module),
      cpe: '',
      packageDb,
      filepath: '',
      repositoryHint: rpmHint(info),
    };
    let srcRpm = info.sourceRpm;
    for (const suffix of ['.rpm', '.src', '.nosrc']) if (srcRpm.endsWith(suffix)) srcRpm = srcRpm.slice(0, -suffix.length);
    let source = sources.get(srcRpm);
    if (!sources.has(srcRpm)) {
      const parsed = parseRpmver(srcRpm);
      if (parsed.ok && parsed.version.name !== undefined) {
        const v: Rpmver = parsed.version;
        source = {
          name: v.name!,
          version: formatRpmverEvr(v),
          kind: 'source',
          arch: '',
          module: '',
          cpe: '',
          packageDb,
          filepath: '',
          repositoryHint: '',
        };
        sources.set(srcRpm, source);
      }
    }
    if (source !== undefined) pkg.source = source;
    return pkg;
  });
}

/** Every package of one database. */
export async function databasePackages(layer: LayerFS, db: FoundDb): Promise<ScannedPackage[]> {
  return toPackages(packageInfos(await readHeaderBlobs(layer, db)), foundDbString(db));
}
