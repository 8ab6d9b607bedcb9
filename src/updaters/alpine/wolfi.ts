/**
 * @module The `wolfi` and `chainguard` updater sets. Both publish one secdb
 * file in Alpine's format for their whole rolling distribution
 * (`security.json`), so each set has a single updater. claircore has no
 * updater for them (its OSV updater ignores Wolfi); this follows Grype's
 * feed, vunnel's `wolfi`/`chainguard` providers:
 *
 * - an id entry is split on whitespace (vunnel), each id its own record;
 * - links point at `https://images.chainguard.dev/security/<id>` (vunnel);
 * - fixed version `0` ("not affected") is kept as is, as for Alpine; the
 *   matcher reads it as not vulnerable;
 * - the distribution is exactly what the Wolfi/Chainguard scanners emit, and
 *   the matcher constrains on its DID only.
 *
 * The secdb shape has no alias field (GHSA and CVE ids appear side by side
 * as separate ids) and records carry none, so every id becomes its own record.
 */
import type { Lint } from '../../lib/config-lint.js';
import type { VulnerabilityRecord, VulnerableDistribution } from '../../model/vulnerability-record.js';
import type { SetContext, UpdaterSetFactory } from '../updater.js';
import { ConfigBlock } from '../config-block.js';
import type { SecdbPackage } from './secdb.js';
import { SecdbUpdater } from './secdb-updater.js';
import { secfixRecords } from './records.js';
import { CHAINGUARD, WOLFI } from '../../model/releases.js';

/** Where vunnel links Wolfi and Chainguard ids. */
export const CHAINGUARD_SECURITY_LINK_PREFIX = 'https://images.chainguard.dev/security/';

export const WOLFI_SET_NAME = 'wolfi';
export const CHAINGUARD_SET_NAME = 'chainguard';
/** Persisted updater names (Grype's provider names + claircore's `-updater` suffix). */
export const WOLFI_UPDATER_NAME = 'wolfi-updater';
export const CHAINGUARD_UPDATER_NAME = 'chainguard-updater';
export const DEFAULT_WOLFI_URL = 'https://packages.wolfi.dev/os/security.json';
export const DEFAULT_CHAINGUARD_URL = 'https://packages.cgr.dev/chainguard/security.json';

/** Records of one package entry of a rolling apk distribution's feed: ids split on whitespace and de-duplicated, as vunnel. */
export function rollingRecords(pkg: SecdbPackage, updater: string, dist: VulnerableDistribution): VulnerabilityRecord[] {
  const idsOf = (entries: readonly string[]) => [...new Set(entries.flatMap((e) => e.split(/\s+/)).filter((id) => id !== ''))];
  return secfixRecords(pkg, updater, dist, idsOf, CHAINGUARD_SECURITY_LINK_PREFIX);
}

/**
 * Reads `updaters.config.wolfi` / `updaters.config.chainguard` (no claircore
 * counterpart): `url`, the feed's `security.json`, used as is.
 *
 * @throws ClairError `CONFIG_INVALID` naming the key.
 */
export function parseRollingConfig(set: string, raw: unknown, fallback: string): { url: string; lints: Lint[] } {
  const c = new ConfigBlock(set, raw, ['url']);
  return { url: c.url('url') ?? fallback, lints: c.lints };
}

function rollingFactory(set: string, updaterName: string, defaultUrl: string, dist: VulnerableDistribution): UpdaterSetFactory {
  return {
    name: set,
    checkConfig: (config) => parseRollingConfig(set, config, defaultUrl).lints,
    async create(ctx: SetContext) {
      const { url } = parseRollingConfig(set, ctx.config, defaultUrl);
      return [new SecdbUpdater({ name: updaterName, url, toRecords: (pkg, updater) => rollingRecords(pkg, updater, dist) })];
    },
  };
}

/** The `wolfi` set: `wolfi-updater` over Wolfi's security.json. */
export const wolfiFactory: UpdaterSetFactory = rollingFactory(WOLFI_SET_NAME, WOLFI_UPDATER_NAME, DEFAULT_WOLFI_URL, WOLFI);
/** The `chainguard` set: `chainguard-updater` over Chainguard's security.json. */
export const chainguardFactory: UpdaterSetFactory = rollingFactory(CHAINGUARD_SET_NAME, CHAINGUARD_UPDATER_NAME, DEFAULT_CHAINGUARD_URL, CHAINGUARD);
