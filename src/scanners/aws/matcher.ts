/** @module Amazon Linux matcher: rpm packages against ALAS. */
import type { Matcher } from '../../matcher/matcher.js';
import { rpmRule } from '../../matcher/rules.js';

export const AWS_MATCHER_NAME = 'aws-matcher'; // persisted; never rename
const NAMES = new Set(['Amazon Linux AMI', 'Amazon Linux']);

export const awsMatcher = {
  name: AWS_MATCHER_NAME,
  filter: (r) => r.distribution?.did === 'amzn' || NAMES.has(r.distribution?.name ?? ''),
  query: () => ['DistributionDID', 'DistributionVersionID'],
  vulnerable: rpmRule,
} as const satisfies Matcher;
