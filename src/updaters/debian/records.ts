/**
 * @module Tracker entries → vulnerability records (claircore
 * `debian/parser.go`): one per (source package, CVE, numbered release), for
 * the source package.
 */
import type { VulnerabilityRecord } from '../../model/index.js';
import { DEBIAN_UPDATER_NAME } from './config.js';
import type { DebianRelease } from './releases.js';
import { normalizeDebianSeverity } from './severity.js';
import type { TrackerEntry } from './tracker.js';
import { debianRelease } from '../../model/releases.js';

/** Each record links the tracker's page for its CVE. */
export const LINK_PREFIX = 'https://security-tracker.debian.org/tracker/';

/**
 * The fixed version as the matcher reads it: `''` is unfixed (vulnerable
 * whatever the version), `'0'` never affected. The JSON publishes these
 * directly (`open`/`undetermined` entries carry no `fixed_version`; not
 * affected is `resolved` at `0`). The tracker's text-format placeholders
 * are mapped defensively should they ever leak into the JSON, because
 * comparing against `<unfixed>` as a dpkg version would be meaningless.
 */
export function fixedInVersion(published: string): string {
  if (!published.startsWith('<')) return published;
  return published === '<not-affected>' ? '0' : '';
}

/**
 * Builds records for the numbered releases; the distribution is exactly
 * what the Debian distribution scanner emits, so the matcher's DID, name and
 * VERSION_ID constraints line up.
 */
export class RecordBuilder {
  readonly #dists: Map<string, NonNullable<VulnerabilityRecord['distribution']>>;

  constructor(releases: readonly DebianRelease[]) {
    this.#dists = new Map(releases.map((r) => [r.codeName, debianRelease(r.codeName, r.versionId)]));
  }

  /** The record for an entry, or `undefined` for a release that is not numbered (sid). */
  record(e: TrackerEntry): VulnerabilityRecord | undefined {
    const distribution = this.#dists.get(e.release);
    if (distribution === undefined) return undefined;
    return {
      updater: DEBIAN_UPDATER_NAME,
      name: e.cve,
      description: e.description,
      links: `${LINK_PREFIX}${e.cve}`,
      severity: e.urgency,
      normalizedSeverity: normalizeDebianSeverity(e.urgency),
      package: { name: e.source, version: '', module: '', arch: '', kind: 'source' },
      distribution,
      fixedInVersion: fixedInVersion(e.fixedVersion),
      archOp: '',
    };
  }
}
