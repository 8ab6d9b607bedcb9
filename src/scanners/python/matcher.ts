/** @module Python matcher (claircore `python/matcher.go`): PyPI packages against OSV PyPI records. */
import type { Matcher } from '../../matcher/matcher.js';
import { osvRule } from '../../matcher/osv-rule.js';
import { PYPI_REPOSITORY } from './package-scanner.js';

export const PYTHON_MATCHER_NAME = 'python'; // persisted; never rename

/**
 * claircore filters on the normalized kind `pep440` alone; the record must
 * also be in the PyPI repository, since the lookup is keyed on its name.
 */
export const pythonMatcher = {
  name: PYTHON_MATCHER_NAME,
  filter: (r) => r.package.normalized_version.startsWith('pep440:') && r.repository?.name === PYPI_REPOSITORY.name,
  query: () => ['RepositoryName'],
  vulnerable: osvRule('pep440'),
} as const satisfies Matcher;
