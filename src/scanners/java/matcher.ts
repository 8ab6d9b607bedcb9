/** @module Maven matcher (claircore `java/matcher.go`): `group:artifact` packages against OSV Maven records. */
import type { Matcher } from '../../matcher/matcher.js';
import { osvRule } from '../../matcher/osv-rule.js';
import { MAVEN_REPOSITORY } from './scanner.js';

export const JAVA_MAVEN_MATCHER_NAME = 'java-maven'; // persisted; never rename

export const javaMavenMatcher = {
  name: JAVA_MAVEN_MATCHER_NAME,
  filter: (r) => r.repository?.name === MAVEN_REPOSITORY.name,
  query: () => ['RepositoryName'],
  vulnerable: osvRule('maven'),
} as const satisfies Matcher;
