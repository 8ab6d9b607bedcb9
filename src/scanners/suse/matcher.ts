/** @module SUSE matcher: SLES and openSUSE rpm packages against SUSE's OVAL. */
import type { Matcher } from '../../matcher/matcher.js';
import { rpmRule } from '../../matcher/rules.js';

export const SUSE_MATCHER_NAME = 'suse'; // persisted; never rename
const DIDS = new Set(['sles', 'opensuse', 'opensuse-leap']);

export const suseMatcher = {
  name: SUSE_MATCHER_NAME,
  filter: (r) => DIDS.has(r.distribution?.did ?? ''),
  query: () => ['DistributionDID', 'DistributionName', 'DistributionVersion'],
  vulnerable: rpmRule,
} as const satisfies Matcher;
