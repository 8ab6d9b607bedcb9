/**
 * @module `updaters.config.aws`: which releases to update and, per release,
 * the `mirror.list` URL. Both keys are extensions: claircore's `aws` set
 * takes no configuration (and its updaters ignore theirs), so a Clair config
 * has nothing here; overriding the lists lets an air-gapped install point at
 * a local mirror.
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
import type { Lint } from '../../lib/config-lint.js';
import { ConfigBlock, checkHttpUrl, jsonKind } from '../config-block.js';
import { AWS_RELEASE_INFO, AWS_RELEASES, isAwsRelease, type AwsRelease } from './releases.js';

export interface AwsConfig {
  releases: readonly AwsRelease[];
  mirrorLists: Readonly<Record<AwsRelease, string>>;
}

/**
 * Reads `updaters.config.aws`; absent means every release at claircore's
 * URLs. The one parse `checkConfig` and `create` share.
 *
 * @throws ClairError `CONFIG_INVALID` naming the key.
 */
export function parseAwsConfig(raw: unknown): { config: AwsConfig; lints: Lint[] } {
  const c = new ConfigBlock('aws', raw, ['releases', 'mirror_lists']);
  const mirrorLists = Object.fromEntries(AWS_RELEASES.map((r) => [r, AWS_RELEASE_INFO[r].mirrorList])) as Record<AwsRelease, string>;
  const listed = c.strings('releases');
  const releases: readonly AwsRelease[] =
    listed === undefined || listed.length === 0
      ? AWS_RELEASES
      : listed.map((r, i) => {
          if (!isAwsRelease(r)) throw c.invalid(`releases[${i}]`, `unknown release ${JSON.stringify(r)} (known: ${AWS_RELEASES.join(', ')})`);
          return r;
        });
  for (const [release, url] of Object.entries(c.mapping('mirror_lists') ?? {})) {
    const key = `mirror_lists.${release}`;
    if (!isAwsRelease(release)) throw c.invalid(key, `unknown release (known: ${AWS_RELEASES.join(', ')})`);
    if (url === null || url === '') continue;
    if (typeof url !== 'string') throw c.invalid(key, `must be a string, got ${jsonKind(url)}`);
    mirrorLists[release] = checkHttpUrl(url, (problem) => c.invalid(key, problem));
  }
  return { config: { releases, mirrorLists }, lints: c.lints };
}
