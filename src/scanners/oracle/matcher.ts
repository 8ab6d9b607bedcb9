/** @module Oracle Linux matcher: rpm packages against Oracle's OVAL (ELSA). */
import type { Matcher } from '../../matcher/matcher.js';
import { rpmRule } from '../../matcher/rules.js';

export const ORACLE_MATCHER_NAME = 'oracle'; // persisted; never rename

export const oracleMatcher = {
  name: ORACLE_MATCHER_NAME,
  filter: (r) => r.distribution?.did === 'ol',
  query: () => ['DistributionDID', 'DistributionName', 'DistributionVersion'],
  vulnerable: rpmRule,
} as const satisfies Matcher;
