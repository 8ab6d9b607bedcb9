/**
 * @module npm matcher (claircore `nodejs/matcher.go`): `node_modules`
 * packages against OSV npm records, decided by the database's
 * normalized-range filter (authoritative, so `vulnerable` is not called by
 * the controller; it implements the same range check for direct callers).
 */
import type { Matcher } from '../../matcher/matcher.js';
import { osvRangeRule } from '../../matcher/osv-rule.js';
import { NPM_REPOSITORY } from './package-scanner.js';

export const NODEJS_MATCHER_NAME = 'nodejs'; // persisted; never rename

export const nodejsMatcher = {
  name: NODEJS_MATCHER_NAME,
  filter: (r) => r.repository?.name === NPM_REPOSITORY.name,
  query: () => ['RepositoryName'],
  vulnerable: osvRangeRule('semver'),
  versionFilter: { authoritative: true },
} as const satisfies Matcher;
