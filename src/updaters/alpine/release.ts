/**
 * @module Alpine releases as the secdb lays them out (`v3.17/`, `edge/`) and
 * the distribution each one's records carry. The distribution must equal
 * what the Alpine distribution scanner emits for an image of that release,
 * because the matcher constrains on DID, Name and PrettyName.
 */
import type { VulnerableDistribution } from '../../model/vulnerability-record.js';
import { distribution } from '../../model/distribution.js';

/** A stable `major.minor` release, or the rolling `edge`. */
export type AlpineRelease = { kind: 'stable'; major: number; minor: number } | { kind: 'edge' };

/** The secdb directory name: `v3.17` or `edge`. */
export function releaseName(release: AlpineRelease): string {
  return release.kind === 'edge' ? 'edge' : `v${release.major}.${release.minor}`;
}

/** Parses `v3.17`, `3.17` or `edge`; undefined for anything else. */
export function parseRelease(text: string): AlpineRelease | undefined {
  if (text === 'edge') return { kind: 'edge' };
  const m = /^v?(\d+)\.(\d+)$/.exec(text);
  if (!m) return undefined;
  return { kind: 'stable', major: Number(m[1]), minor: Number(m[2]) };
}

/**
 * The distribution fields for a release, as the scanner reports them:
 * `version` is `3.17` (or `edge`) and `versionId` stays empty. claircore's
 * updater puts `3.17` in VersionID instead; neither is a match constraint,
 * so we follow our scanner to keep stored rows identical.
 */
export function releaseDistribution(release: AlpineRelease): VulnerableDistribution {
  if (release.kind === 'edge') {
    return distribution({ did: 'alpine', name: 'Alpine Linux', version: 'edge', prettyName: 'Alpine Linux edge' });
  }
  const version = `${release.major}.${release.minor}`;
  return distribution({ did: 'alpine', name: 'Alpine Linux', version, prettyName: `Alpine Linux v${version}` });
}
