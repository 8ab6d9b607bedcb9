import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { isClairError } from '../../lib/errors.js';
import type { VulnerabilityRecord } from '../../model/index.js';
import { quietLogger } from '../../test-support/config.js';
import { INT32_MAX } from '../../versions/scheme.js';
import { normalizeImpact, parseVexDocument } from './parse-document.js';
import { RHCC_REPOSITORY_KEY, RHEL_CPE_REPOSITORY_KEY } from '../../model/releases.js';

const DOC = readFileSync(new URL('./testdata/cve-2024-1000.json', import.meta.url), 'utf8');
const options = { ignoreKernelPackages: false, log: quietLogger() };
const parse = (text: string, opts = options): VulnerabilityRecord[] => parseVexDocument(Buffer.from(text), '2024/cve-2024-1000.json', opts);
/** The test document with `edit` applied to its parsed JSON. */
function edited(edit: (doc: any) => void): string {
  const doc = JSON.parse(DOC);
  edit(doc);
  return JSON.stringify(doc);
}

const v = (...xs: number[]): number[] => [...xs, ...Array<number>(10 - xs.length).fill(0)];
const REFS = 'https://access.redhat.com/security/cve/CVE-2024-1000 https://bugzilla.redhat.com/show_bug.cgi?id=2250000 https://www.cve.org/CVERecord?id=CVE-2024-1000';
const SELF = 'https://security.access.redhat.com/data/csaf/v2/vex/2024/cve-2024-1000.json';
const VECTOR = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:N/A:H';
const APPSTREAM9 = 'cpe:2.3:a:redhat:enterprise_linux:9:*:appstream:*:*:*:*:*';
const RHEL8 = 'cpe:2.3:o:redhat:enterprise_linux:8:*:*:*:*:*:*:*';
const OCP415 = 'cpe:2.3:a:redhat:openshift:4.15:*:el9:*:*:*:*:*';

function record(fields: Partial<VulnerabilityRecord> & Pick<VulnerabilityRecord, 'package' | 'repository' | 'links'>): VulnerabilityRecord {
  return {
    updater: 'rhel-vex',
    name: 'CVE-2024-1000',
    description: "A heap overflow was found in libfoo's frobnicate() function.",
    issued: new Date('2024-01-15T00:00:00Z'),
    severity: VECTOR,
    normalizedSeverity: 'High',
    fixedInVersion: '',
    archOp: '',
    self: { space: 'https://access.redhat.com/security/cve/', name: 'CVE-2024-1000' },
    aliases: [{ space: 'CVE', name: '2024-1000' }, { space: 'RHBZ', name: '2250000' }],
    ...fields,
  };
}

const EXPECTED: VulnerabilityRecord[] = [
  // fixed, sorted by links
  record({
    links: `${REFS} ${SELF}#8Base-RHOSE-4.14:openshift4%2Fose-foo-rhel9@sha256:cccc_amd64 https://access.redhat.com/errata/RHSA-2024:0050`,
    package: { name: 'openshift4/ose-foo-rhel9', version: '', module: '', arch: 'amd64|x86_64', kind: 'binary' },
    repository: { name: 'cpe:2.3:a:redhat:openshift:4.14:*:el8:*:*:*:*:*', key: RHCC_REPOSITORY_KEY, uri: '' },
    fixedInVersion: 'v4.14.0-202401150000.p0.g7654321.assembly.stream.el8',
    archOp: 'pattern match',
    range: { kind: 'rhctag', lower: v(), upper: v(4, 14, INT32_MAX) },
  }),
  record({
    links: `${REFS} ${SELF}#9Base-RHOSE-4.15:openshift4%2Fose-foo-rhel9@sha256:aaaa_amd64 https://access.redhat.com/errata/RHSA-2024:0300`,
    package: { name: 'openshift4/ose-foo-rhel9', version: '', module: '', arch: 'amd64|x86_64|arm64', kind: 'binary' },
    repository: { name: OCP415, key: RHCC_REPOSITORY_KEY, uri: '' },
    fixedInVersion: 'v4.15.0-202402010000.p0.g1234567.assembly.stream.el9',
    archOp: 'pattern match',
    range: { kind: 'rhctag', lower: v(4, 15, 0), upper: v(4, 15, INT32_MAX) },
  }),
  record({
    links: `${REFS} ${SELF}#AppStream-9.4.0.Z.MAIN:libfoo-0:1.2.3-4.el9_4.x86_64 https://access.redhat.com/errata/RHSA-2024:0100`,
    package: { name: 'libfoo', version: '', module: '', arch: 'amd64|x86_64|aarch64|src', kind: 'binary' },
    repository: { name: APPSTREAM9, key: RHEL_CPE_REPOSITORY_KEY, uri: '' },
    fixedInVersion: '0:1.2.3-4.el9_4',
    archOp: 'pattern match',
  }),
  record({
    links: `${REFS} ${SELF}#AppStream-9.4.0.Z.MAIN:nodejs:18:9040020240101120000:a1b2c3d4:nodejs-1:18.20.2-1.module+el9.4.0+21000+a1b2c3d4.x86_64 https://access.redhat.com/errata/RHSA-2024:0200`,
    package: { name: 'nodejs', version: '', module: 'nodejs:18', arch: 'amd64|x86_64|s390x', kind: 'binary' },
    repository: { name: APPSTREAM9, key: RHEL_CPE_REPOSITORY_KEY, uri: '' },
    fixedInVersion: '1:18.20.2-1.module+el9.4.0+21000+a1b2c3d4',
    archOp: 'pattern match',
  }),
  record({
    links: `${REFS} ${SELF}#BaseOS-9.4.0.Z.MAIN:kernel-0:5.14.0-427.el9_4.x86_64 https://access.redhat.com/errata/RHSA-2024:0100`,
    package: { name: 'kernel', version: '', module: '', arch: 'amd64|x86_64', kind: 'binary' },
    repository: { name: 'cpe:2.3:o:redhat:enterprise_linux:9:*:baseos:*:*:*:*:*', key: RHEL_CPE_REPOSITORY_KEY, uri: '' },
    fixedInVersion: '0:5.14.0-427.el9_4',
    archOp: 'pattern match',
  }),
  // known_affected (kernel-tools is not on the allow-list)
  record({
    links: `${REFS} ${SELF}#9Base-RHOSE-4.15:openshift4%2Fose-bar-rhel9`,
    package: { name: 'openshift4/ose-bar-rhel9', version: '', module: '', arch: '', kind: 'source' },
    repository: { name: OCP415, key: RHCC_REPOSITORY_KEY, uri: '' },
    range: { kind: 'rhctag', lower: v(), upper: v(INT32_MAX) },
  }),
  record({
    links: `${REFS} ${SELF}#red_hat_enterprise_linux_8:kernel-rt`,
    package: { name: 'kernel-rt', version: '', module: '', arch: '', kind: 'source' },
    repository: { name: RHEL8, key: RHEL_CPE_REPOSITORY_KEY, uri: '' },
  }),
  record({
    links: `${REFS} ${SELF}#red_hat_enterprise_linux_8:libbar`,
    package: { name: 'libbar', version: '', module: '', arch: '', kind: 'source' },
    repository: { name: RHEL8, key: RHEL_CPE_REPOSITORY_KEY, uri: '' },
  }),
  // known_not_affected: two builds, one record
  record({
    links: `${REFS} ${SELF}#AppStream-9.4.0.Z.MAIN:libbaz-0:2.0-1.el9.x86_64`,
    package: { name: 'libbaz', version: '', module: '', arch: 'amd64|x86_64|aarch64', kind: 'binary' },
    repository: { name: APPSTREAM9, key: RHEL_CPE_REPOSITORY_KEY, uri: '' },
    normalizedSeverity: 'Low',
    archOp: 'pattern match',
    notVulnerable: true,
  }),
];

describe('parseVexDocument', () => {
  it('turns fixed, known_affected and known_not_affected products into exact records', () => {
    assert.deepEqual(parse(DOC), EXPECTED);
  });

  it('skips every kernel package with ignore_kernel_packages', () => {
    const names = parse(DOC, { ...options, ignoreKernelPackages: true }).map((r) => r.package.name);
    assert.deepEqual(names, ['openshift4/ose-foo-rhel9', 'openshift4/ose-foo-rhel9', 'libfoo', 'nodejs', 'openshift4/ose-bar-rhel9', 'libbar', 'libbaz']);
  });

  it('marks a container image declared not affected as an ancestry package over every tag, as claircore', () => {
    const text = edited((d) => {
      const status = d.vulnerabilities[0].product_status;
      status.fixed = status.fixed.filter((id: string) => !id.startsWith('9Base-RHOSE-4.15:openshift4/ose-foo-rhel9'));
      status.known_not_affected.push('9Base-RHOSE-4.15:openshift4/ose-foo-rhel9@sha256:aaaa_amd64');
    });
    const image = parse(text).find((r) => r.notVulnerable && r.repository?.key === RHCC_REPOSITORY_KEY);
    assert.deepEqual(image && { package: image.package, repository: image.repository, range: image.range?.kind }, {
      package: { name: 'openshift4/ose-foo-rhel9', version: '', module: '', arch: 'amd64|x86_64', kind: 'ancestry' },
      repository: { name: OCP415, key: RHCC_REPOSITORY_KEY, uri: '' },
      range: 'rhctag',
    });
  });

  it('gives no records for a deleted document', () => {
    assert.deepEqual(parse('{"document":{"tracking":{"id":"CVE-2023-0030","status":"deleted"}}}'), []);
  });

  it('uses Unknown without a score or impact, and drops unrated zero scores', () => {
    const text = edited((d) => {
      const vuln = d.vulnerabilities[0];
      vuln.threats = [];
      vuln.scores[0].products = ['red_hat_enterprise_linux_8:libbar'];
      vuln.scores.push({ cvss_v3: { baseScore: 0, vectorString: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N', version: '3.1' }, products: ['9Base-RHOSE-4.15:openshift4/ose-bar-rhel9'] });
    });
    const records = parse(text);
    // fixed products without a score are skipped (claircore needs the vector)
    assert.equal(records.filter((r) => r.fixedInVersion !== '').length, 0);
    const libbar = records.find((r) => r.package.name === 'libbar');
    assert.equal(libbar?.severity, VECTOR);
    assert.equal(libbar?.normalizedSeverity, 'Unknown');
    assert.equal(records.find((r) => r.package.name === 'kernel-rt')?.severity, 'Unknown');
    assert.equal(records.some((r) => r.package.name === 'openshift4/ose-bar-rhel9'), false);
  });

  it('maps Red Hat impact ratings to normalized severities', () => {
    assert.deepEqual(['None', 'Low', 'moderate', 'Important', 'CRITICAL', 'bogus'].map(normalizeImpact), ['Unknown', 'Low', 'Medium', 'High', 'Critical', 'Unknown']);
  });

  it('skips a fixed product with a bad rpmmod, but fails the document for a known_affected one (as claircore)', () => {
    const fixedBad = edited((d) => {
      for (const arch of [2, 3]) {
        const p = d.product_tree.branches[0].branches[arch].branches[1].product;
        p.product_identification_helper.purl = p.product_identification_helper.purl.replace(/rpmmod=[^&]*/, 'rpmmod=nodejs18');
      }
    });
    assert.equal(parse(fixedBad).some((r) => r.package.name === 'nodejs'), false);

    const affectedBad = edited((d) => {
      d.product_tree.branches[0].branches.find((b: any) => b.name === 'libbar').product.product_identification_helper.purl = 'pkg:rpm/redhat/libbar?arch=src&rpmmod=rhel10';
    });
    assert.throws(() => parse(affectedBad), (err) => isClairError(err, 'UPDATER_PARSE') && /2024\/cve-2024-1000\.json is malformed: module of product "red_hat_enterprise_linux_8:libbar"/.test((err as Error).message));
  });

  for (const [name, text, pattern] of [
    ['invalid JSON', '{"document": ', /document 2024\/cve-2024-1000\.json is not valid JSON/],
    ['a field of the wrong type', edited((d) => { d.vulnerabilities[0].product_status.fixed = 'all'; }), /vulnerabilities\[0\]\.product_status\.fixed: expected an array/],
    ['a CPE that does not parse', edited((d) => { d.product_tree.branches[0].branches[0].branches[2].product.product_identification_helper.cpe = 'cpe:/x:redhat'; }), /invalid CPE "cpe:\/x:redhat"/],
    ['a purl that does not parse', edited((d) => { d.product_tree.branches[0].branches.find((b: any) => b.name === 'libbar').product.product_identification_helper.purl = 'pkg:rpm'; }), /purl "pkg:rpm"/],
    ['a malformed CVE ID', edited((d) => { d.vulnerabilities[0].cve = 'RHSA-2024:0100'; }), /malformed CVE ID "RHSA-2024:0100"/],
    ['a JSON null', 'null', /\$: expected an object/],
  ] as const) {
    it(`fails with CLAIR_ERR_UPDATER_PARSE on ${name}`, () => {
      assert.throws(() => parse(text), (err) => isClairError(err, 'UPDATER_PARSE') && pattern.test((err as Error).message));
    });
  }

  it('accepts Red Hat\'s wildcard CPEs', () => {
    const text = edited((d) => { d.product_tree.branches[0].branches[1].branches[1].product.product_identification_helper.cpe = 'cpe:/a:redhat:openshift:4.*'; });
    assert.equal(parse(text).find((r) => r.package.name === 'openshift4/ose-bar-rhel9')?.repository?.name, 'cpe:2.3:a:redhat:openshift:4.*:*:*:*:*:*:*:*');
  });
});
