/**
 * @module The `rhel_containerscanner` (claircore `rhel/rhcc`): Red Hat
 * container images, recognised by the build Dockerfile Red Hat's build
 * system leaves in `root/buildinfo/Dockerfile-<name>-<version>-<release>`,
 * treated as packages so advisories about container images (Red Hat VEX
 * `oci` products) can be matched against them.
 *
 * Two scanners share the name, as in claircore:
 * - the package scanner (version 2) reports the image's component as a
 *   source package (label `com.redhat.component`), and for every repository
 *   the image ships to (the `name` label, translated through Red Hat's
 *   container-name-to-repositories map) a binary and an ancestry package,
 *   all at the Dockerfile's version-release with an `rhctag` normalized
 *   version and the repository hint `rhcc`;
 * - the repository scanner (version 1) reports the "gold" repository
 *   {@link RHCC_GOLD_REPOSITORY} for any layer with such a Dockerfile, which
 *   the rhel-container matcher selects by its key.
 *
 * Configuration (`indexer.scanner.package.rhel_containerscanner`):
 * `name2repos_mapping_url`, `name2repos_mapping_file`, `timeout`.
 */
import type { LayerFS } from '../../indexer/layer-fs.js';
import type { PackageScanner, RepositoryScanner, ScanContext } from '../../indexer/scanner.js';
import type { ScannedPackage, ScannedRepository } from '../../model/scanned.js';
import { checkAborted, readSmallText, scannerError } from '../internal/layer-files.js';
import { DockerfileError, dockerfileLabels } from './dockerfile.js';
import { checkMappingConfig, mappingConfig, MappingRegistry, objectEntries, stringArray, UpdatingMapping, type FetchLike } from './mapping.js';
import { parseRhctag, rhctagMinorStart, rhctagNormalized } from '../../versions/rhctag.js';
import { RHCC_REPOSITORY_KEY } from '../../model/releases.js';

/** Persisted identities; changing one is a migration. Both scanners share the name. */
export const RHCC_SCANNER_NAME = 'rhel_containerscanner';
export const RHCC_PACKAGE_SCANNER_VERSION = '2';
export const RHCC_PACKAGE_SCANNER_KIND = 'package';
export const RHCC_REPOSITORY_SCANNER_VERSION = '1';
export const RHCC_REPOSITORY_SCANNER_KIND = 'repository';

/** Repository hint of every package this scanner reports; the rhcc coalescer keeps only those. */
export const RHCC_REPOSITORY_HINT = 'rhcc';

/** claircore's `rhcc.GoldRepo`: what Red Hat container images are matched through. */
export const RHCC_GOLD_REPOSITORY: Readonly<ScannedRepository> = Object.freeze({
  name: 'Red Hat Container Catalog',
  key: RHCC_REPOSITORY_KEY,
  uri: 'https://catalog.redhat.com/software/containers/explore',
  cpe: '',
});

/** Red Hat's container-name-to-repositories map, claircore's `DefaultName2ReposMappingURL`. */
export const DEFAULT_NAME2REPOS_MAPPING_URL = 'https://security.access.redhat.com/data/metrics/container-name-repos-map.json';

/** Config keys of the package scanner, as claircore's `ScannerConfig`. */
export const NAME2REPOS_CONFIG_KEYS = { url: 'name2repos_mapping_url', file: 'name2repos_mapping_file' } as const;
/** Where this scanner's settings live in the config file. */
const CONFIG_PATH = `indexer.scanner.package.${RHCC_SCANNER_NAME}`;

/** Where build Dockerfiles are. */
export const BUILDINFO_DIR = 'root/buildinfo';
const DOCKERFILE_PREFIX = 'Dockerfile-';

/** The container-name-to-repositories map: `name` label → registry repositories. */
export type Name2ReposMapping = ReadonlyMap<string, readonly string[]>;

/** Decodes Red Hat's `{"data": {"<name label>": ["<registry repository>", …]}}`. */
export function decodeName2Repos(json: unknown): Name2ReposMapping {
  const out = new Map<string, string[]>();
  for (const [k, data] of objectEntries(json, 'container-name-to-repositories mapping')) {
    if (k !== 'data') continue;
    for (const [name, repos] of objectEntries(data, 'data')) out.set(name, stringArray(repos, `data[${JSON.stringify(name)}]`));
  }
  return out;
}

/** Package kinds this scanner reports; `ancestry` stands for the image and every layer below it. */
export type RhccPackageKind = 'source' | 'binary' | 'ancestry';

/**
 * The `ancestry` kind. `ScannedPackage['kind']` (src/indexer/scanned.ts) is
 * still `'binary' | 'source'`, while storage and the wire model
 * (`PackageKind`) already carry `ancestry`; this one cast is the only place
 * the gap shows, until that union is widened.
 */
const ANCESTRY_KIND = ('ancestry' satisfies RhccPackageKind) as unknown as ScannedPackage['kind'];

/** `root/buildinfo/Dockerfile-*` entries, sorted by name. */
function buildDockerfiles(layer: LayerFS): string[] {
  return layer
    .readDir(BUILDINFO_DIR)
    .map((e) => e.path)
    .filter((p) => p.slice(p.lastIndexOf('/') + 1).startsWith(DOCKERFILE_PREFIX));
}

/** claircore's `getVR`: the text after the second-to-last `-` of an NVR path. */
export function versionRelease(nvr: string): string {
  const last = nvr.lastIndexOf('-');
  return nvr.slice(nvr.lastIndexOf('-', last - 1) + 1);
}

/** Options of {@link newRhccPackageScanner}, mainly for tests and for injecting a shared HTTP client. */
export interface RhccPackageScannerOptions {
  fetch?: FetchLike;
  refreshIntervalMs?: number;
  retryAfterFailureMs?: number;
  now?: () => number;
}

/**
 * A `rhel_containerscanner` package scanner with its own mapping cache. The
 * default instance is {@link rhccPackageScanner}.
 */
export function newRhccPackageScanner(options: RhccPackageScannerOptions = {}): PackageScanner {
  const mappings = new MappingRegistry<Name2ReposMapping>(
    (c) =>
      new UpdatingMapping({
        what: 'rhcc: container-name-to-repositories mapping',
        ...(c.url !== '' ? { url: c.url } : {}),
        ...(c.file !== '' ? { file: c.file } : {}),
        timeoutMs: c.timeoutMs,
        decode: decodeName2Repos,
        ...options,
      }),
  );
  return {
    name: RHCC_SCANNER_NAME,
    version: RHCC_PACKAGE_SCANNER_VERSION,
    kind: RHCC_PACKAGE_SCANNER_KIND,
    checkConfig: (config: unknown, path: string) => checkMappingConfig(path, config, NAME2REPOS_CONFIG_KEYS),
    async scan(layer: LayerFS, context: ScanContext): Promise<ScannedPackage[]> {
      checkAborted(context);
      const config = mappingConfig(CONFIG_PATH, context.config, NAME2REPOS_CONFIG_KEYS, DEFAULT_NAME2REPOS_MAPPING_URL);
      // claircore takes the first one whose path has a version and a release.
      const path = buildDockerfiles(layer).find((p) => p.split('-').length > 2 && layer.stat(p)?.type === 'file');
      if (path === undefined) return [];
      const text = await readSmallText(layer, path, RHCC_SCANNER_NAME);
      if (text === undefined) throw scannerError(RHCC_SCANNER_NAME, `unable to read ${JSON.stringify(path)}`);
      let labels: Map<string, string>;
      try {
        labels = dockerfileLabels(text);
      } catch (err) {
        if (!(err instanceof DockerfileError)) throw err;
        throw scannerError(RHCC_SCANNER_NAME, `${JSON.stringify(path)}: ${err.message}`, err);
      }
      const vr = versionRelease(path);
      const tag = parseRhctag(vr);
      // Images whose tags are not versions cannot be matched by range.
      if (!tag.ok) return [];
      const component = labels.get('com.redhat.component');
      const arch = labels.get('architecture');
      const name = labels.get('name');
      if (component === undefined || arch === undefined || name === undefined) return [];

      const normalizedVersion = rhctagNormalized(rhctagMinorStart(tag.version), true);
      const base = { version: vr, normalizedVersion, packageDb: path, arch, module: '', cpe: '', filepath: '', repositoryHint: RHCC_REPOSITORY_HINT };
      const source: ScannedPackage = { ...base, kind: 'source', name: component };
      const mapping = await mappings.for(config).get(context.signal);
      // An image ships to every registry repository the map lists for its
      // name label (e.g. both rhel8/toolbox and ubi8/toolbox); unmapped, the
      // name label is the repository.
      const repos = mapping.get(name) ?? [name];
      const out: ScannedPackage[] = [source];
      for (const repo of repos) {
        out.push({ ...base, kind: 'binary', name: repo, source });
        // The ancestry package lets VEX "not affected" statements about the
        // image cover it.
        out.push({ ...base, kind: ANCESTRY_KIND, name: repo, source });
      }
      return out;
    },
  };
}

/**
 * The `rhel_containerscanner` package scanner.
 *
 * @throws {ClairError} `RHEL_MAPPING_UNAVAILABLE` when a Red Hat image is
 *   found but no container-name map can be had; `SCANNER_FAILED` for an
 *   unreadable or malformed build Dockerfile; `CONFIG_INVALID` for a bad
 *   config entry.
 */
export const rhccPackageScanner: PackageScanner = newRhccPackageScanner();

/** The `rhel_containerscanner` repository scanner: the gold repository for layers with a build Dockerfile. */
export const rhccRepositoryScanner = {
  name: RHCC_SCANNER_NAME,
  version: RHCC_REPOSITORY_SCANNER_VERSION,
  kind: RHCC_REPOSITORY_SCANNER_KIND,
  async scan(layer: LayerFS, context: ScanContext): Promise<ScannedRepository[]> {
    checkAborted(context);
    return buildDockerfiles(layer).length > 0 ? [{ ...RHCC_GOLD_REPOSITORY }] : [];
  },
} as const satisfies RepositoryScanner;
