/**
 * @module apk matchers: Alpine against its secdb, and Wolfi and Chainguard,
 * whose security feeds have the same shape.
 */
import type { Matcher } from '../../matcher/matcher.js';
import { fixedVersionRule } from '../../matcher/rules.js';

export const ALPINE_MATCHER_NAME = 'alpine-matcher'; // persisted; never rename
export const WOLFI_MATCHER_NAME = 'wolfi-matcher';
export const CHAINGUARD_MATCHER_NAME = 'chainguard-matcher';

export const alpineMatcher = {
  name: ALPINE_MATCHER_NAME,
  filter: (r) => r.distribution?.did === 'alpine' || r.distribution?.name === 'Alpine Linux',
  query: () => ['DistributionDID', 'DistributionName', 'DistributionPrettyName'],
  vulnerable: fixedVersionRule('apk'),
} as const satisfies Matcher;

/** Rolling distributions: one feed for every release, so only the DID constrains. */
function rollingApkMatcher(name: string, did: string): Matcher {
  return { name, filter: (r) => r.distribution?.did === did, query: () => ['DistributionDID'], vulnerable: fixedVersionRule('apk') };
}

export const wolfiMatcher = rollingApkMatcher(WOLFI_MATCHER_NAME, 'wolfi');
export const chainguardMatcher = rollingApkMatcher(CHAINGUARD_MATCHER_NAME, 'chainguard');
