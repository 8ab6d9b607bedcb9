/**
 * @module PHP matcher: Composer packages against OSV `Packagist` records
 * (GHSA and the PHP security advisories database), whose ECOSYSTEM ranges
 * come as `introduced=…&fixed=…&lastAffected=…`, decided by the OSV rule
 * under Composer's version order (`composer` scheme). A branch version
 * (`dev-main`) is never vulnerable: Composer orders it against no version
 * (the scanner also makes it unmatchable, so the controller skips it).
 */
import type { Matcher } from '../../matcher/matcher.js';
import { osvRule } from '../../matcher/osv-rule.js';
import { composerIsDevBranch } from '../../versions/index.js';
import { PACKAGIST_REPOSITORY } from './package-scanner.js';

export const PHP_MATCHER_NAME = 'php'; // persisted; never rename

const rule = osvRule('composer');

export const phpMatcher = {
  name: PHP_MATCHER_NAME,
  filter: (r) => r.repository?.name === PACKAGIST_REPOSITORY.name,
  query: () => ['RepositoryName'],
  vulnerable: (r, v) => !composerIsDevBranch(r.package.version) && rule(r, v),
} as const satisfies Matcher;
