/** @module Debian matcher: dpkg packages of Debian images against the security tracker. */
import type { Matcher } from '../../matcher/matcher.js';
import { fixedVersionRule } from '../../matcher/rules.js';

export const DEBIAN_MATCHER_NAME = 'debian-matcher'; // persisted; never rename

export const debianMatcher = {
  name: DEBIAN_MATCHER_NAME,
  filter: (r) => r.distribution?.did === 'debian' || r.distribution?.name === 'Debian GNU/Linux',
  query: () => ['DistributionDID', 'DistributionName', 'DistributionVersionID'],
  vulnerable: fixedVersionRule('dpkg'),
} as const satisfies Matcher;
