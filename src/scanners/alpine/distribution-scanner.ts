/**
 * @module Alpine distribution scanner (claircore `alpine.DistributionScanner`).
 * Alpine's security database is per `major.minor` release, so the version is
 * `VERSION_ID` cut at its last dot (`3.18.4` → `3.18`), or `edge` when
 * `PRETTY_NAME` is "Alpine Linux edge". `versionId` stays empty, as in
 * claircore. Without a usable os-release file, `etc/issue` is read.
 */
import type { ScannedDistribution } from '../../model/scanned.js';
import type { DistributionScanner } from '../../indexer/scanner.js';
import { distribution } from '../../model/distribution.js';
import { checkAborted, readSmallText } from '../internal/layer-files.js';
import { OS_RELEASE_PATH } from '../osrelease/parse.js';
import { readOsRelease } from '../osrelease/read.js';

/** Persisted identity; changing it is a migration. */
export const ALPINE_DISTRIBUTION_SCANNER_NAME = 'alpine';
export const ALPINE_DISTRIBUTION_SCANNER_VERSION = '3';
export const ALPINE_DISTRIBUTION_SCANNER_KIND = 'distribution';

/** The issue file read when os-release does not identify Alpine. */
export const ISSUE_PATH = 'etc/issue';
const EDGE_PRETTY_NAME = 'Alpine Linux edge';
const ISSUE_RE = /Alpine Linux ([0-9]+\.[0-9]+)/;
const EDGE_ISSUE_RE = /Alpine Linux [0-9]+\.\w+ \(edge\)/;

/** The Alpine release described by parsed os-release values, if any. */
export function alpineFromOsRelease(values: ReadonlyMap<string, string>): ScannedDistribution | undefined {
  if (values.get('ID') !== 'alpine') return undefined;
  const versionId = values.get('VERSION_ID') ?? '';
  const dot = versionId.lastIndexOf('.');
  if (dot < 0) return undefined;
  const prettyName = values.get('PRETTY_NAME') ?? '';
  return distribution({
    did: 'alpine',
    name: values.get('NAME') ?? '',
    version: prettyName === EDGE_PRETTY_NAME ? 'edge' : versionId.slice(0, dot),
    prettyName,
  });
}

/** The Alpine release named in an `etc/issue` file, if any. */
export function alpineFromIssue(text: string): ScannedDistribution | undefined {
  if (EDGE_ISSUE_RE.test(text)) {
    return distribution({ did: 'alpine', name: 'Alpine Linux', version: 'edge', prettyName: EDGE_PRETTY_NAME });
  }
  const m = ISSUE_RE.exec(text);
  if (!m) return undefined;
  return distribution({ did: 'alpine', name: 'Alpine Linux', version: m[1]!, prettyName: `Alpine Linux v${m[1]}` });
}

/** Detects Alpine releases. */
export const alpineDistributionScanner = {
  name: ALPINE_DISTRIBUTION_SCANNER_NAME,
  version: ALPINE_DISTRIBUTION_SCANNER_VERSION,
  kind: ALPINE_DISTRIBUTION_SCANNER_KIND,
  async scan(layer, context) {
    checkAborted(context);
    // claircore reads only etc/os-release here, not the usr/lib fallback.
    const found = await readOsRelease(layer, ALPINE_DISTRIBUTION_SCANNER_NAME, [OS_RELEASE_PATH]);
    const fromOsRelease = found?.values === undefined ? undefined : alpineFromOsRelease(found.values);
    if (fromOsRelease !== undefined) return [fromOsRelease];
    const issue = await readSmallText(layer, ISSUE_PATH, ALPINE_DISTRIBUTION_SCANNER_NAME);
    const fromIssue = issue === undefined ? undefined : alpineFromIssue(issue);
    return fromIssue === undefined ? [] : [fromIssue];
  },
} satisfies DistributionScanner;
