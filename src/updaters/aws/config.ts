/**
 * @module `updaters.config.aws`: which releases to update and, per release,
 * the `mirror.list` URL (claircore hard-codes them; overriding them lets an
 * air-gapped install point at a local mirror).
 *
 * ```yaml
 * updaters:
 *   config:
 *     aws:
 *       releases: [linux2, linux2023]
 *       mirror_lists:
 *         linux2: http://mirror.internal/al2/mirror.list
 * ```
 */
import { clairError } from '../../lib/errors.js';
import { httpUrl } from '../alpine/config.js';
import { AWS_RELEASE_INFO, AWS_RELEASES, isAwsRelease, type AwsRelease } from './releases.js';

export interface AwsConfig {
  releases: readonly AwsRelease[];
  mirrorLists: Readonly<Record<AwsRelease, string>>;
}

function invalid(key: string, message: string): Error {
  return clairError('CONFIG_INVALID', `config: updaters.config.aws${key === '' ? '' : `.${key}`}: ${message}`);
}

const KNOWN = ['releases', 'mirror_lists'];

/** Validates the set's config (absent means every release at claircore's URLs). */
export function parseAwsConfig(raw: unknown): AwsConfig {
  const mirrorLists = Object.fromEntries(AWS_RELEASES.map((r) => [r, AWS_RELEASE_INFO[r].mirrorList])) as Record<AwsRelease, string>;
  if (raw === undefined || raw === null) return { releases: AWS_RELEASES, mirrorLists };
  if (typeof raw !== 'object' || Array.isArray(raw)) throw invalid('', 'expected an object');
  const c = raw as Record<string, unknown>;
  for (const key of Object.keys(c)) {
    if (!KNOWN.includes(key)) throw invalid(key, `unknown key (known: ${KNOWN.join(', ')})`);
  }
  let releases: readonly AwsRelease[] = AWS_RELEASES;
  if (c.releases !== undefined) {
    if (!Array.isArray(c.releases)) throw invalid('releases', 'expected a list');
    releases = c.releases.map((r, i) => {
      if (typeof r !== 'string' || !isAwsRelease(r)) throw invalid(`releases[${i}]`, `unknown release ${JSON.stringify(r)} (known: ${AWS_RELEASES.join(', ')})`);
      return r;
    });
  }
  if (c.mirror_lists !== undefined) {
    if (typeof c.mirror_lists !== 'object' || c.mirror_lists === null || Array.isArray(c.mirror_lists)) throw invalid('mirror_lists', 'expected an object keyed by release');
    for (const [release, url] of Object.entries(c.mirror_lists)) {
      if (!isAwsRelease(release)) throw invalid(`mirror_lists.${release}`, `unknown release (known: ${AWS_RELEASES.join(', ')})`);
      mirrorLists[release] = httpUrl(url, (m) => invalid(`mirror_lists.${release}`, m)).href;
    }
  }
  return { releases, mirrorLists };
}
