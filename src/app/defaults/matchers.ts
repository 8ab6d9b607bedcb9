/**
 * @module The default matchers (explicit list) and their selection by
 * `matchers.names`: `undefined` means every default, `[]` none.
 */
import type { Matcher } from '../../matcher/matcher.js';
import { withIgnoreUnpatched } from '../../matcher/ignore-unpatched.js';
import { alpineMatcher, chainguardMatcher, wolfiMatcher } from '../../scanners/alpine/matcher.js';
import { awsMatcher } from '../../scanners/aws/matcher.js';
import { azureLinuxMatcher } from '../../scanners/azurelinux/matcher.js';
import { debianMatcher } from '../../scanners/debian/matcher.js';
import { oracleMatcher } from '../../scanners/oracle/matcher.js';
import { photonMatcher } from '../../scanners/photon/matcher.js';
import { rhccMatcher } from '../../scanners/rhel/container-matcher.js';
import { rhelDistributionMatcher, rhelMatcher } from '../../scanners/rhel/matcher.js';
import { suseMatcher } from '../../scanners/suse/matcher.js';
import { ubuntuMatcher } from '../../scanners/ubuntu/matcher.js';
import { gobinMatcher } from '../../scanners/gobin/matcher.js';
import { javaMavenMatcher } from '../../scanners/java/matcher.js';
import { nodejsMatcher } from '../../scanners/nodejs/matcher.js';
import { pythonMatcher } from '../../scanners/python/matcher.js';
import { rubyGemMatcher } from '../../scanners/ruby/matcher.js';
import { rustMatcher } from '../../scanners/rust/matcher.js';
import { phpMatcher } from '../../scanners/php/matcher.js';
import { dotnetMatcher } from '../../scanners/dotnet/matcher.js';
import { clairError } from '../../lib/errors.js';

/** Builds the default matchers with their `matchers.config` entries. */
export function defaultMatchers(config: Record<string, unknown> = {}): Matcher[] {
  const rhel = (config.rhel ?? {}) as { ignore_unpatched?: unknown };
  return [
    alpineMatcher,
    awsMatcher,
    // No claircore counterpart: Azure Linux and CBL-Mariner, as Trivy and Grype cover them.
    azureLinuxMatcher,
    chainguardMatcher,
    debianMatcher,
    // No claircore counterpart, like the scanners they match (Rust, PHP, .NET).
    dotnetMatcher,
    gobinMatcher,
    javaMavenMatcher,
    // On by default, like the Node.js scanner (upstream ships both off).
    nodejsMatcher,
    oracleMatcher,
    photonMatcher,
    phpMatcher,
    pythonMatcher,
    rhccMatcher,
    rhelMatcher({ ignoreUnpatched: rhel.ignore_unpatched === true }),
    rhelDistributionMatcher,
    rubyGemMatcher,
    rustMatcher,
    suseMatcher,
    ubuntuMatcher,
    wolfiMatcher,
  ];
}

/** The matchers `matchers.names` selects; an unknown name is a start-up error naming it. */
export function selectMatchers(names: readonly string[] | undefined, config: Record<string, unknown> = {}): Matcher[] {
  const all = defaultMatchers(config).map((m) => withIgnoreUnpatched(m, config));
  if (names === undefined) return all;
  const byName = new Map(all.map((m) => [m.name, m]));
  return names.map((n) => {
    const m = byName.get(n);
    if (!m) throw clairError('CONFIG_INVALID', `config: matchers.names: unknown matcher "${n}" (known: ${[...byName.keys()].join(', ')})`);
    return m;
  });
}
