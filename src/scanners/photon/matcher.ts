/** @module VMware Photon OS matcher: rpm packages against Photon's OVAL. */
import type { Matcher } from '../../matcher/matcher.js';
import { rpmRule } from '../../matcher/rules.js';

export const PHOTON_MATCHER_NAME = 'photon'; // persisted; never rename

export const photonMatcher = {
  name: PHOTON_MATCHER_NAME,
  filter: (r) => r.distribution?.did === 'photon',
  query: () => ['DistributionDID', 'DistributionName', 'DistributionVersion'],
  vulnerable: rpmRule,
} as const satisfies Matcher;
