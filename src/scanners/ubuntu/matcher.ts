/** @module Ubuntu matcher. Unlike Debian, a fixed version of `0` still means affected (upstream's rule). */
import type { Matcher } from '../../matcher/matcher.js';
import { fixedVersionRule } from '../../matcher/rules.js';

export const UBUNTU_MATCHER_NAME = 'ubuntu-matcher'; // persisted; never rename

export const ubuntuMatcher = {
  name: UBUNTU_MATCHER_NAME,
  filter: (r) => r.distribution?.did === 'ubuntu' || r.distribution?.name === 'Ubuntu',
  query: () => ['DistributionDID', 'DistributionName', 'DistributionVersionID'],
  vulnerable: fixedVersionRule('dpkg', { zeroMeansUnfixed: true }),
} as const satisfies Matcher;
