import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildQuery } from '../../matcher/controller.js';
import { defaultMatchers, selectMatchers } from '../../app/defaults/matchers.js';
import type { IndexRecord } from '../../matcher/matcher.js';
import type { Package, Repository, Vulnerability } from '../../model/index.js';
import { ensureEvr, RHCC_MATCHER_NAME, rhccMatcher, rhccVulnerable } from './container-matcher.js';
import { RHCC_GOLD_REPOSITORY } from './container-scanner.js';
import { cpeIsSuperset, cpeSubstringMatch, repositoryCpeCovers } from './cpe-match.js';
import { unbindCpe } from '../../model/cpe.js';

/** The gold repository as an index report carries it. */
const GOLD: Repository = { id: '1', ...RHCC_GOLD_REPOSITORY };
/** A container CPE repository (claircore's labels.json detector), in formatted-string form. */
const cpeRepository = (cpe: string): Repository => ({ id: '2', name: cpe, key: 'rhcc-container-repository', cpe });

const QUAY_EL8 = 'cpe:2.3:a:redhat:quay:3:*:el8:*:*:*:*:*';
const OPENSHIFT_413 = 'cpe:2.3:a:redhat:openshift:4.13:*:el8:*:*:*:*:*';

/** The binary package the rhcc scanner reports for quay/clair-rhel8 at `version`. */
function image(version: string, repository: Repository = GOLD, name = 'quay/clair-rhel8'): IndexRecord {
  const source: Package = { id: '10', name: 'quay-clair-container', version, kind: 'source', normalized_version: 'rhctag:3.5.0.0.0.0.0.0.0.0', arch: 'x86_64', cpe: '' };
  return {
    package: { id: '11', name, version, kind: 'binary', source, normalized_version: 'rhctag:3.5.0.0.0.0.0.0.0.0', arch: 'x86_64', cpe: '' },
    repository,
  };
}

/** A container-image record as the rhel-vex updater writes it, read back from the store. */
function vex(fixed: string, productCpe = QUAY_EL8, extra: Partial<Vulnerability> = {}): Vulnerability {
  return {
    id: '100',
    updater: 'rhel-vex',
    name: 'CVE-2021-3762',
    description: 'A directory traversal vulnerability was found in the ClairCore engine of Clair.',
    issued: '2021-09-01T00:00:00Z',
    links: 'https://access.redhat.com/security/cve/CVE-2021-3762 https://security.access.redhat.com/data/csaf/v2/vex/2021/cve-2021-3762.json',
    severity: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
    normalized_severity: 'Critical',
    package: { id: '', name: 'quay/clair-rhel8', version: '', kind: 'binary', normalized_version: '', arch: 'amd64|x86_64', cpe: '' },
    distribution: { id: '', did: '', name: '', version: '', version_code_name: '', version_id: '', arch: '', cpe: '', pretty_name: '' },
    repository: { name: productCpe, key: 'rhcc-container-repository', cpe: '' },
    fixed_in_version: fixed,
    arch_op: 'pattern match',
    ...extra,
  };
}
/** A "known not affected" image record: claircore's ancestry kind, no fix. */
const notAffected = (productCpe = QUAY_EL8): Vulnerability =>
  vex('', productCpe, { package: { id: '', name: 'quay/clair-rhel8', version: '', kind: 'ancestry', normalized_version: '', cpe: '' } });

describe('rhel-container-matcher', () => {
  it('is named as claircore, on by default, and selectable with ignore_unpatched', () => {
    assert.equal(RHCC_MATCHER_NAME, 'rhel-container-matcher');
    assert.equal(rhccMatcher.name, RHCC_MATCHER_NAME);
    assert.ok(defaultMatchers().some((m) => m === rhccMatcher));
    const [m] = selectMatchers(['rhel-container-matcher'], { 'rhel-container-matcher': { ignore_unpatched: true } });
    assert.deepEqual(m!.query(), ['RepositoryKey', 'HasFixedInVersion']);
  });

  it('takes records in the gold repository or a container CPE repository, and nothing else', () => {
    assert.equal(rhccMatcher.filter(image('v3.5.5-4')), true);
    assert.equal(rhccMatcher.filter(image('v3.5.5-4', cpeRepository(QUAY_EL8))), true);
    const rpm: IndexRecord = {
      package: { id: '3', name: 'openssl-libs', version: '1:3.0.7-24.el9', kind: 'binary', normalized_version: '', arch: 'x86_64', cpe: '' },
      repository: { id: '4', name: 'cpe:/o:redhat:enterprise_linux:9::baseos', key: 'rhel-cpe-repository', cpe: 'cpe:2.3:o:redhat:enterprise_linux:9:*:baseos:*:*:*:*:*' },
    };
    assert.equal(rhccMatcher.filter(rpm), false);
    assert.equal(rhccMatcher.filter({ package: image('v3.5.5-4').package }), false);
  });

  it('looks up by name, kind and repository key, with a non-authoritative filter on the minor stream', () => {
    assert.deepEqual(rhccMatcher.query(), ['RepositoryKey']);
    assert.deepEqual(rhccMatcher.versionFilter, { authoritative: false });
    assert.deepEqual(buildQuery(rhccMatcher, image('v3.5.5-4')), {
      names: [{ name: 'quay/clair-rhel8', kind: 'binary' }, { name: 'quay-clair-container', kind: 'source' }],
      constraints: { repo_key: 'rhcc-container-repository' },
      versionIn: { kind: 'rhctag', v: [3, 5, 0, 0, 0, 0, 0, 0, 0, 0] },
    });
    const unversioned = image('v3.5.5-4');
    unversioned.package = { ...unversioned.package, normalized_version: '' };
    assert.equal(buildQuery(rhccMatcher, unversioned), undefined, 'no normalized version, no lookup');
  });

  it('gold repository: compares tags as rpm versions, whatever the product CPE', () => {
    assert.equal(rhccVulnerable(image('v3.5.5-4'), vex('v3.5.6-1')), true);
    assert.equal(rhccVulnerable(image('v3.5.6-1'), vex('v3.5.6-1')), false, 'fixed at this tag');
    assert.equal(rhccVulnerable(image('v3.5.7-1'), vex('v3.5.6-1')), false, 'newer than the fix');
    assert.equal(rhccVulnerable(image('v3.5.9-2'), vex('')), true, 'no fix');
    assert.equal(rhccVulnerable(image('v3.5.5-4'), vex('v3.5.6-1', OPENSHIFT_413)), true, 'the gold repository has no CPE to check');
    assert.equal(rhccVulnerable(image('v3.5.5-4'), vex('v3.5.6-1', 'not a cpe')), true);
    // Real OpenShift tags: release strings compared segment by segment.
    const cli = (tag: string) => image(tag, GOLD, 'openshift4/ose-cli');
    assert.equal(rhccVulnerable(cli('v4.14.0-202311021650.p0.g9b1e0d2.assembly.stream'), vex('v4.14.0-202312060632.p0.gcd6d7c5.assembly.stream')), true);
    assert.equal(rhccVulnerable(cli('v4.14.0-202401111452.p0.g286cfa5.assembly.stream'), vex('v4.14.0-202312060632.p0.gcd6d7c5.assembly.stream')), false);
    assert.equal(rhccVulnerable(image('4.7-139.aaaaaaa.release_4.7'), vex('4.7-140.49a6fcf.release_4.7')), true);
  });

  it('versions without a release read as release 0 (timestamps, bare tags)', () => {
    assert.equal(ensureEvr('1744596866'), '1744596866-0');
    assert.equal(ensureEvr('v3.5.7-8'), 'v3.5.7-8');
    const gitops = cpeRepository('cpe:2.3:a:redhat:openshift_gitops:1.16:*:el8:*:*:*:*:*');
    const gitopsVex = (fixed: string) => vex(fixed, 'cpe:2.3:a:redhat:openshift_gitops:1.16:*:el8:*:*:*:*:*');
    assert.equal(rhccVulnerable(image('1740000000', gitops), gitopsVex('1742843776')), true);
    assert.equal(rhccVulnerable(image('1744596866', gitops), gitopsVex('1742843776')), false);
    assert.equal(rhccVulnerable(image('1742843776', gitops), gitopsVex('1742843776')), false);
    assert.equal(rhccVulnerable(image('v3.5.7'), vex('v3.5.7-8')), true, 'v3.5.7 is v3.5.7-0');
    assert.equal(rhccVulnerable(image('v3.5.7-8'), vex('v3.5.7')), false, 'v3.5.7 as a fix is v3.5.7-0');
    assert.equal(rhccVulnerable(image('9.3'), vex('9.3-1361')), true);
  });

  it('CPE repository: the product CPE must cover the image\'s', () => {
    const quay = cpeRepository(QUAY_EL8);
    assert.equal(rhccVulnerable(image('v3.5.5-4', quay), vex('v3.5.7-8')), true);
    assert.equal(rhccVulnerable(image('v3.5.9-2', quay), vex('v3.5.7-8')), false);
    assert.equal(rhccVulnerable(image('v3.5.9-2', quay), vex('')), true);
    assert.equal(rhccVulnerable(image('v3.5.5-4', quay), vex('v3.5.7-8', 'cpe:/a:redhat:openshift:4::el8')), false, 'another product');
    assert.equal(rhccVulnerable(image('v3.5.5-4', quay), vex('v3.5.7-8', 'cpe:/a:redhat:quay:3')), true, 'a superset (no edition)');
    assert.equal(rhccVulnerable(image('v3.5.5-4', quay), vex('v3.5.7-8', 'cpe:/a:redhat:quay:3::el9')), false, 'another edition');
    assert.equal(rhccVulnerable(image('v3.5.5-4', quay), vex('v3.5.7-8', '')), false, 'no product CPE');
    const ocp = cpeRepository(OPENSHIFT_413);
    assert.equal(rhccVulnerable(image('v4.13.0-1', ocp), vex('v4.13.0-2', 'cpe:/a:redhat:openshift:4')), true, 'Red Hat\'s prefix rule: 4 covers 4.13');
    assert.equal(rhccVulnerable(image('v4.13.0-1', ocp), vex('v4.13.0-2', 'cpe:2.3:a:redhat:openshift:4.*:*:*:*:*:*:*:*')), true, 'a wildcard version');
    assert.equal(rhccVulnerable(image('v4.13.0-1', ocp), vex('v4.13.0-2', 'cpe:/a:redhat:openshift:4.12')), false);
  });

  it('"not affected" statements apply by name alone, within the product', () => {
    assert.equal(rhccVulnerable(image('7.0.3-13'), notAffected()), true);
    assert.equal(rhccVulnerable(image(''), notAffected()), true, 'even without a version');
    assert.equal(rhccVulnerable(image('7.0.3-13', cpeRepository(QUAY_EL8)), notAffected(OPENSHIFT_413)), false, 'another product');
  });

  it('an image without a version is never vulnerable, and nothing throws', () => {
    assert.equal(rhccVulnerable(image(''), vex('')), false);
    assert.equal(rhccVulnerable(image(''), vex('v3.5.7-8')), false);
    assert.equal(rhccVulnerable(image('--'), vex('::-')), false);
    assert.equal(rhccVulnerable({ package: image('1-1').package }, vex('2-1')), false, 'no repository: not the gold one, and no CPE to cover');
  });
});

describe('Red Hat CPE matching', () => {
  const wfn = (s: string) => unbindCpe(s)!;

  it('superset per NISTIR 7696: ANY covers all, NA only NA, values equal ignoring case, wildcards as globs', () => {
    assert.equal(cpeIsSuperset(wfn('cpe:/a:redhat:quay:3'), wfn(QUAY_EL8)), true);
    assert.equal(cpeIsSuperset(wfn(QUAY_EL8), wfn('cpe:/a:redhat:quay:3')), false, 'a value does not cover ANY');
    assert.equal(cpeIsSuperset(wfn('cpe:2.3:a:redhat:quay:-'), wfn('cpe:2.3:a:redhat:quay:-')), true);
    assert.equal(cpeIsSuperset(wfn('cpe:2.3:a:redhat:quay:-'), wfn('cpe:2.3:a:redhat:quay:3')), false);
    assert.equal(cpeIsSuperset(wfn('cpe:2.3:a:RedHat:Quay:3'), wfn('cpe:2.3:a:redhat:quay:3')), true);
    assert.equal(cpeIsSuperset(wfn('cpe:2.3:a:redhat:openshift:4.*'), wfn(OPENSHIFT_413)), true);
    assert.equal(cpeIsSuperset(wfn('cpe:2.3:a:redhat:openshift:*.13'), wfn(OPENSHIFT_413)), true);
    assert.equal(cpeIsSuperset(wfn('cpe:2.3:a:redhat:openshift:4.?'), wfn(OPENSHIFT_413)), false, 'one character, not two');
    assert.equal(cpeIsSuperset(wfn('cpe:2.3:a:redhat:openshift:4.??'), wfn(OPENSHIFT_413)), true);
    assert.equal(cpeIsSuperset(wfn('cpe:2.3:a:redhat:openshift:5.*'), wfn(OPENSHIFT_413)), false);
    assert.equal(cpeIsSuperset(wfn('cpe:2.3:a:redhat:openshift:4.*'), wfn('cpe:2.3:a:redhat:openshift:4.*')), false, 'a pattern is not a name');
  });

  it('Red Hat\'s prefix rule trims every trailing : and * of the vulnerability\'s formatted string', () => {
    assert.equal(cpeSubstringMatch(wfn(OPENSHIFT_413), wfn('cpe:/a:redhat:openshift:4')), true);
    assert.equal(cpeSubstringMatch(wfn(OPENSHIFT_413), wfn('cpe:/a:redhat:openshift:4::el8')), false, '4:*:el8 is no prefix of 4.13:*:el8');
    assert.equal(cpeSubstringMatch(wfn('cpe:2.3:a:redhat:openshift:41:*:*:*:*:*:*:*'), wfn('cpe:/a:redhat:openshift:4')), true, 'a plain string prefix, as upstream');
    assert.equal(repositoryCpeCovers('cpe:/a:redhat:openshift:4::el8', OPENSHIFT_413), false);
    assert.equal(repositoryCpeCovers('cpe:/a:redhat:openshift:4', 'not a cpe'), false, 'an unset record CPE is only covered by an all-ANY one');
    assert.equal(repositoryCpeCovers('cpe:2.3:*:*:*:*:*:*:*:*:*:*:*', ''), true);
  });
});
