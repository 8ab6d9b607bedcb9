/** @module RubyGems matcher (claircore `ruby/matcher.go`): gems against OSV RubyGems records. */
import type { Matcher } from '../../matcher/matcher.js';
import { osvRule } from '../../matcher/osv-rule.js';
import { RUBYGEMS_REPOSITORY } from './package-scanner.js';

export const RUBY_GEM_MATCHER_NAME = 'ruby-gem'; // persisted; never rename

export const rubyGemMatcher = {
  name: RUBY_GEM_MATCHER_NAME,
  filter: (r) => r.repository?.name === RUBYGEMS_REPOSITORY.name,
  query: () => ['RepositoryName'],
  vulnerable: osvRule('gem'),
} as const satisfies Matcher;
