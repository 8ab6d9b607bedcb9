/**
 * @module Azure Linux / CBL-Mariner matcher: rpm packages against Microsoft's
 * OVAL feeds. The feeds name source packages (the SPEC a CVE is tracked
 * against: `openssl`, not `openssl-libs`), so the lookup reaches a binary
 * through its source rpm; the installed binary's EVR is what is compared.
 * The distribution constraint is the one both sides agree on: the DID
 * (`azurelinux` or `mariner`) and the `N.0` release.
 */
import type { Matcher } from '../../matcher/matcher.js';
import { rpmRule } from '../../matcher/rules.js';
import { AZURELINUX_OS_RELEASE_IDS } from './distribution-scanner.js';

export const AZURELINUX_MATCHER_NAME = 'azurelinux'; // persisted; never rename

export const azureLinuxMatcher = {
  name: AZURELINUX_MATCHER_NAME,
  filter: (r) => AZURELINUX_OS_RELEASE_IDS.has(r.distribution?.did ?? ''),
  query: () => ['DistributionDID', 'DistributionVersionID'],
  vulnerable: rpmRule,
} as const satisfies Matcher;
