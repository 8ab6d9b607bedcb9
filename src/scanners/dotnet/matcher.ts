/**
 * @module .NET matcher: NuGet packages from deps.json files against OSV
 * `NuGet` records (GHSA), whose ECOSYSTEM ranges come as
 * `introduced=…&fixed=…&lastAffected=…`, decided by the OSV rule under
 * NuGet's version order (`nuget` scheme). Names are compared lower-cased
 * on both sides (NuGet ids are case-insensitive).
 */
import type { Matcher } from '../../matcher/matcher.js';
import { osvRule } from '../../matcher/osv-rule.js';
import { NUGET_REPOSITORY } from './package-scanner.js';

export const DOTNET_MATCHER_NAME = 'dotnet'; // persisted; never rename

export const dotnetMatcher = {
  name: DOTNET_MATCHER_NAME,
  filter: (r) => r.repository?.name === NUGET_REPOSITORY.name,
  query: () => ['RepositoryName'],
  vulnerable: osvRule('nuget'),
} as const satisfies Matcher;
