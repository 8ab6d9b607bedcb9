/**
 * @module The `rpm-manifest` package scanner: Azure Linux and CBL-Mariner
 * distroless images ship no rpm database, only the package list their build
 * wrote to `var/lib/rpmmanifest/container-manifest-2`, one line per package
 * as `rpm -qa --qf` prints
 * `%{NAME}\t%{VERSION}-%{RELEASE}\t%{INSTALLTIME}\t%{BUILDTIME}\t%{VENDOR}\t%{EPOCH}\t%{SIZE}\t%{ARCH}\t%{EPOCHNUM}\t%{SOURCERPM}`.
 * Without this scanner such an image has a distribution and no packages;
 * Trivy (`rpmqa`) and Syft read the same file. claircore has none.
 *
 * Packages are built as the rpm scanner builds them from headers (same EVR
 * and source-rpm rules), with `packageDb` the file's path. A layer that also
 * holds an rpm database is left to the rpm scanner, so nothing is listed
 * twice. A line that does not have the shape above fails the layer's scan
 * (`RPM_DB_INVALID`, naming the line), as a malformed rpm header does: a
 * silently shortened package list would hide vulnerabilities. The file is
 * read line by line from its stream.
 */
import { createInterface } from 'node:readline';
import type { LayerFS } from '../../indexer/layer-fs.js';
import type { PackageScanner, ScanContext } from '../../indexer/scanner.js';
import type { ScannedPackage } from '../../model/scanned.js';
import { isClairError } from '../../lib/errors.js';
import { toPackages } from '../rpm/database.js';
import { rpmError } from '../rpm/errors.js';
import { findRpmDbs } from '../rpm/find.js';
import type { RpmInfo } from '../rpm/info.js';

/** Persisted scanner identity; changing one is a migration. */
export const RPM_MANIFEST_SCANNER_NAME = 'rpm-manifest';
export const RPM_MANIFEST_SCANNER_VERSION = '1';
export const RPM_MANIFEST_SCANNER_KIND = 'package';

/** Where the distroless images keep the manifest. */
export const RPM_MANIFEST_PATH = 'var/lib/rpmmanifest/container-manifest-2';

const FIELDS = 10;
const INTEGER = /^[0-9]+$/;

/**
 * The package information of one manifest line, or a reason it is not one.
 * Fields: name, version-release, install time, build time, vendor, epoch
 * (`(none)` or a number), size, arch, epoch number, source rpm.
 */
export function parseManifestLine(line: string): RpmInfo | string {
  const f = line.split('\t');
  if (f.length < FIELDS) return `expected ${FIELDS} tab-separated fields, got ${f.length}`;
  const [name, versionRelease, , , , epochText, , arch, epochNum, sourceRpm] = f as [string, string, string, string, string, string, string, string, string, string];
  if (name === '') return 'empty package name';
  const dash = versionRelease.lastIndexOf('-');
  if (dash <= 0 || dash === versionRelease.length - 1) return `version ${JSON.stringify(versionRelease)} is not VERSION-RELEASE`;
  let epoch = 0;
  if (epochText !== '(none)') {
    const text = INTEGER.test(epochNum) ? epochNum : epochText;
    if (!INTEGER.test(text)) return `epoch ${JSON.stringify(epochText)} is not a number`;
    epoch = Number(text);
  }
  return {
    name,
    epoch,
    version: versionRelease.slice(0, dash),
    release: versionRelease.slice(dash + 1),
    arch,
    sourceRpm,
    module: '',
    digestAlgo: 0,
    digest: '',
    sigPgp: undefined,
    sigHeader: undefined,
    files: [],
  };
}

/** The packages of the manifest at `path`, read line by line. */
export async function manifestPackages(layer: LayerFS, path: string, context: ScanContext): Promise<ScannedPackage[]> {
  const infos: RpmInfo[] = [];
  const lines = createInterface({ input: layer.createReadStream(path), crlfDelay: Infinity });
  let n = 0;
  try {
    for await (const raw of lines) {
      n++;
      if (n % 1024 === 0) context.signal?.throwIfAborted();
      const line = raw.trimEnd();
      if (line === '') continue;
      const info = parseManifestLine(line);
      if (typeof info === 'string') throw rpmError(`${RPM_MANIFEST_SCANNER_NAME}: ${path} line ${n}: ${info}`);
      if (info.name === 'gpg-pubkey') continue;
      infos.push(info);
    }
  } catch (err) {
    if (isClairError(err) || context.signal?.aborted) throw err;
    throw rpmError(`${RPM_MANIFEST_SCANNER_NAME}: unable to read ${path}`, err);
  } finally {
    lines.close();
  }
  return toPackages(infos, path);
}

/** Lists the packages of an Azure Linux / CBL-Mariner distroless image's rpm manifest. */
export const rpmManifestScanner = {
  name: RPM_MANIFEST_SCANNER_NAME,
  version: RPM_MANIFEST_SCANNER_VERSION,
  kind: RPM_MANIFEST_SCANNER_KIND,
  async scan(layer: LayerFS, context: ScanContext): Promise<ScannedPackage[]> {
    context.signal?.throwIfAborted();
    if (layer.stat(RPM_MANIFEST_PATH)?.type !== 'file') return [];
    if ((await findRpmDbs(layer)).length > 0) return [];
    return manifestPackages(layer, RPM_MANIFEST_PATH, context);
  },
} as const satisfies PackageScanner;
