/**
 * @module The `rhel-repository-scanner` (claircore `rhel.RepositoryScanner`,
 * version 3): which Red Hat products a layer's rpms came from.
 *
 * Red Hat tracks advisories per product (a CPE), not per dnf repository, so
 * the "repositories" reported here are CPEs: each repoid the layer names is
 * translated with Red Hat's repository-to-CPE mapping, and every CPE becomes
 * one repository `{key: 'rhel-cpe-repository', name: <CPE>, cpe: <CPE>,
 * uri: 'repoid=<repoid>'}` (CPE in formatted-string form, as claircore's
 * `BindFS`). The rhel matcher selects records by that key and compares the
 * CPE with the one Red Hat's VEX data names; the rhel coalescer ties each
 * package to the repositories whose `repoid` its repository hint names.
 *
 * Repoids come from the content manifest's `content_sets`, or, when there is
 * no content manifest or it says `from_dnf_hint: true`, from the dnf history
 * database.
 *
 * Configuration (`indexer.scanner.repo.rhel-repository-scanner`):
 * `repo2cpe_mapping_url`, `repo2cpe_mapping_file`, `timeout` (see
 * {@link mappingConfig}); `disable_api` is accepted and ignored, as in
 * claircore.
 */
import type { LayerFS } from '../../indexer/layer-fs.js';
import type { RepositoryScanner, ScanContext } from '../../indexer/scanner.js';
import type { ScannedRepository } from '../../model/scanned.js';
import { checkAborted } from '../internal/layer-files.js';
import { bindCpeFs, unbindCpe } from '../../model/cpe.js';
import { readContentManifest } from './content-manifest.js';
import { readDnfHistory } from './dnf.js';
import { encodeGoQuery } from './go-query.js';
import { checkMappingConfig, mappingConfig, MappingRegistry, objectEntries, stringArray, UpdatingMapping, type FetchLike } from './mapping.js';
import { RHEL_CPE_REPOSITORY_KEY } from '../../model/releases.js';

/** Persisted scanner identity; changing one is a migration. */
export const RHEL_REPOSITORY_SCANNER_NAME = 'rhel-repository-scanner';
export const RHEL_REPOSITORY_SCANNER_VERSION = '3';
export const RHEL_REPOSITORY_SCANNER_KIND = 'repository';


/** Red Hat's repository-to-CPE mapping, claircore's `DefaultRepo2CPEMappingURL`. */
export const DEFAULT_REPO2CPE_MAPPING_URL = 'https://security.access.redhat.com/data/metrics/repository-to-cpe.json';

/** Config keys of this scanner, as claircore's `RepositoryScannerConfig`. */
export const REPO2CPE_CONFIG_KEYS = { url: 'repo2cpe_mapping_url', file: 'repo2cpe_mapping_file' } as const;
/** Where this scanner's settings live in the config file. */
const CONFIG_PATH = `indexer.scanner.repo.${RHEL_REPOSITORY_SCANNER_NAME}`;

/** The repository-to-CPE mapping: repoid → CPEs (URI or formatted-string form). */
export type Repo2CpeMapping = ReadonlyMap<string, readonly string[]>;

/** Decodes Red Hat's `{"data": {"<repoid>": {"cpes": ["cpe:/o:redhat:enterprise_linux:9::baseos", …]}}}`. */
export function decodeRepo2Cpe(json: unknown): Repo2CpeMapping {
  const top = objectEntries(json, 'repository-to-CPE mapping');
  const out = new Map<string, string[]>();
  for (const [k, data] of top) {
    if (k !== 'data') continue;
    for (const [repoid, entry] of objectEntries(data, 'data')) {
      const fields = objectEntries(entry, `data[${JSON.stringify(repoid)}]`);
      const cpes = fields.filter(([f]) => f === 'cpes').map(([, v]) => stringArray(v, `data[${JSON.stringify(repoid)}].cpes`));
      out.set(repoid, cpes.at(-1) ?? []);
    }
  }
  return out;
}

/** Options of {@link newRhelRepositoryScanner}, mainly for tests and for injecting a shared HTTP client. */
export interface RhelRepositoryScannerOptions {
  fetch?: FetchLike;
  refreshIntervalMs?: number;
  retryAfterFailureMs?: number;
  now?: () => number;
}

/**
 * Repositories for every `(repoid, CPE)` pair the mapping knows, sorted by
 * name then URI, duplicates removed. Unknown repoids and CPEs that do not
 * parse are skipped (claircore logs the latter as a Red Hat data bug).
 */
export function cpeRepositories(repoids: readonly string[], mapping: Repo2CpeMapping): ScannedRepository[] {
  const out: ScannedRepository[] = [];
  for (const repoid of repoids) {
    for (const cpe of mapping.get(repoid) ?? []) {
      const wfn = unbindCpe(cpe);
      if (wfn === undefined) continue;
      const fs = bindCpeFs(wfn);
      out.push({ key: RHEL_CPE_REPOSITORY_KEY, name: fs, cpe: fs, uri: encodeGoQuery(new Map([['repoid', [repoid]]])) });
    }
  }
  out.sort((a, b) => cmp(a.name, b.name) || cmp(a.uri, b.uri));
  return out.filter((r, i) => i === 0 || r.name !== out[i - 1]!.name || r.uri !== out[i - 1]!.uri);
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The repoids a layer names: content sets, or the dnf history when there is no manifest or it defers to dnf. */
export async function layerRepoids(layer: LayerFS, scanner: string): Promise<string[]> {
  const manifest = await readContentManifest(layer, scanner);
  if (manifest === undefined || manifest.fromDnfHint) return (await readDnfHistory(layer, scanner))?.repoids ?? [];
  return manifest.contentSets;
}

/**
 * A `rhel-repository-scanner` with its own mapping cache. The default
 * instance is {@link rhelRepositoryScanner}; separate instances are for tests
 * and for injecting a fetch.
 */
export function newRhelRepositoryScanner(options: RhelRepositoryScannerOptions = {}): RepositoryScanner {
  const mappings = new MappingRegistry<Repo2CpeMapping>(
    (c) =>
      new UpdatingMapping({
        what: 'rhel: repository-to-CPE mapping',
        ...(c.url !== '' ? { url: c.url } : {}),
        ...(c.file !== '' ? { file: c.file } : {}),
        timeoutMs: c.timeoutMs,
        decode: decodeRepo2Cpe,
        ...options,
      }),
  );
  return {
    name: RHEL_REPOSITORY_SCANNER_NAME,
    version: RHEL_REPOSITORY_SCANNER_VERSION,
    kind: RHEL_REPOSITORY_SCANNER_KIND,
    checkConfig: (config: unknown, path: string) => checkMappingConfig(path, config, REPO2CPE_CONFIG_KEYS),
    async scan(layer: LayerFS, context: ScanContext): Promise<ScannedRepository[]> {
      checkAborted(context);
      const config = mappingConfig(CONFIG_PATH, context.config, REPO2CPE_CONFIG_KEYS, DEFAULT_REPO2CPE_MAPPING_URL);
      const repoids = await layerRepoids(layer, RHEL_REPOSITORY_SCANNER_NAME);
      // Unlike claircore, the mapping is only consulted for layers that name
      // repoids, so layers of other distributions never wait on (or fail
      // because of) Red Hat's server.
      if (repoids.length === 0) return [];
      const mapping = await mappings.for(config).get(context.signal);
      return cpeRepositories(repoids, mapping);
    },
  };
}

/**
 * The `rhel-repository-scanner`.
 *
 * @throws {ClairError} `RHEL_MAPPING_UNAVAILABLE` when the layer names
 *   repoids but no mapping can be had (fetch and file both failed, nothing
 *   cached); `SCANNER_FAILED` for an ill-typed content manifest or an
 *   unreadable dnf history; `CONFIG_INVALID` for a bad config entry.
 */
export const rhelRepositoryScanner: RepositoryScanner = newRhelRepositoryScanner();
