import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { VulnerabilityRecord } from '../../model/index.js';
import { collect } from '../../test-support/feed-server.js';
import { mapArchOp, ovalLinks, ovalRpmRecords, parseOvalDate, rpmTuples, type OvalDefinition, type RecordPrototype, type RpmInfoTables } from './index.js';
import { testdata } from './updater.case.js';

const FIXTURE = testdata('oval/testdata/rpminfo.xml');

/** A prototype carrying only what the definition says, to see the package fields plainly. */
const proto = (def: OvalDefinition): RecordPrototype => ({
  updater: 'test-updater',
  name: def.title,
  description: '',
  issued: def.advisory.issued,
  links: ovalLinks(def),
  severity: def.advisory.severity,
  normalizedSeverity: 'Unknown',
});

const pkg = (name: string, fields: Partial<VulnerabilityRecord['package']> = {}) => ({ name, version: '', module: '', arch: '', kind: 'binary' as const, ...fields });

describe('OVAL rpminfo definitions to records (RPMDefsToVulns)', () => {
  it('yields one record per package criterion with an EVR, module, arch and arch operation', async () => {
    const records = await collect(ovalRpmRecords(FIXTURE, { component: 't', prototypes: (d) => [proto(d)] }));
    const first = {
      updater: 'test-updater',
      name: 'TEST-2024:0001: nodejs:18 security update (Important)',
      description: '',
      issued: new Date('2024-01-02T00:00:00Z'),
      links: 'https://example.test/errata/TEST-2024-0001 https://example.test/cve/CVE-2024-0001',
      severity: 'Important',
      normalizedSeverity: 'Unknown',
      archOp: '',
    } as const;
    const second = { ...first, name: 'TEST-2024:0002: kernel security update (Moderate)', issued: undefined, links: 'https://example.test/errata/TEST-2024-0002', severity: 'Moderate' };
    const expected: VulnerabilityRecord[] = [
      { ...first, package: pkg('nodejs', { module: 'nodejs:18' }), fixedInVersion: '1:18.19.0-1.module+el8' },
      { ...first, package: pkg('npm', { module: 'nodejs:18' }), fixedInVersion: '1:10.2.3-1.18.19.0.1.module+el8' },
      // An EVR state with an arch pattern.
      { ...second, package: pkg('kernel', { arch: 'aarch64|x86_64' }), fixedInVersion: '0:4.18.0-500.el8', archOp: 'pattern match' },
      // `less than or equal`: the last affected version, not a fix.
      { ...second, package: pkg('kernel-tools', { version: '0:4.18.0-499.el8' }), fixedInVersion: '' },
      // A test without a state: every version is affected.
      { ...second, package: pkg('kernel-headers'), fixedInVersion: '' },
      // Skipped: kernel-devel (arch-only state), the negated release check, the dangling ref,
      // signature_keyid states, "must be installed" (version-only), definitions 3 and 4.
    ];
    assert.deepEqual(records, expected);
  });

  it('makes one record per prototype, so a definition can cover several releases', async () => {
    const records = await collect(
      ovalRpmRecords(FIXTURE, {
        component: 't',
        prototypes: (d) => (d.id === 'oval:test:def:1' ? [{ ...proto(d), name: 'a' }, { ...proto(d), name: 'b' }] : []),
      }),
    );
    assert.deepEqual(records.map((r) => `${r.package.name}/${r.name}`), ['nodejs/a', 'nodejs/b', 'npm/a', 'npm/b']);
  });

  it('skips a definition when the vendor gives no prototypes', async () => {
    assert.deepEqual(await collect(ovalRpmRecords(FIXTURE, { component: 't', prototypes: () => [] })), []);
  });

  it('multiplies package criteria by every enabled module and folds repeats', () => {
    const tables: RpmInfoTables = {
      tests: new Map([['t1', { objectRef: 'o1', stateRefs: ['s1'] }]]),
      objects: new Map([['o1', 'perl']]),
      states: new Map([['s1', { evr: { value: '0:1-1', operation: 'less than' }, arch: undefined, signatureKeyId: undefined, version: undefined, release: undefined }]]),
      otherTests: 0,
    };
    const c = (testRef: string, comment = '') => ({ type: 'criterion' as const, testRef, comment, negate: false });
    const def: OvalDefinition = {
      id: 'd', class: 'patch', title: '', description: '', affected: [], references: [],
      advisory: { severity: '', issued: undefined, updated: undefined, cves: [], bugzillas: [], refs: [], bugs: [], affectedCpes: [] },
      criteria: {
        type: 'criteria', operator: 'OR', negate: false, comment: '',
        children: [
          { type: 'criteria', operator: 'AND', negate: false, comment: '', children: [c('m1', 'Module perl:5.30 is enabled'), c('t1')] },
          { type: 'criteria', operator: 'AND', negate: false, comment: '', children: [c('m2', 'Module perl:5.32 is enabled'), c('t1')] },
        ],
      },
    };
    // claircore attaches every module of the definition to every package criterion.
    assert.deepEqual(rpmTuples(def, tables).map((t) => t.module), ['perl:5.30', 'perl:5.32']);
  });

  it('maps OVAL operations to arch operations', () => {
    assert.deepEqual(['equals', 'not equal', 'pattern match', 'case insensitive equals', ''].map(mapArchOp), ['equals', 'not equals', 'pattern match', '', '']);
  });

  it('reads advisory dates leniently', () => {
    assert.deepEqual(parseOvalDate('2021-04-30'), new Date('2021-04-30T00:00:00Z'));
    assert.deepEqual(parseOvalDate(' 2021-04-30 12:13:14 '), new Date('2021-04-30T12:13:14Z'));
    assert.deepEqual(parseOvalDate('2021-04-30T12:13'), new Date('2021-04-30T12:13:00Z'));
    assert.equal(parseOvalDate('2021-02-31'), undefined);
    assert.equal(parseOvalDate(''), undefined);
    assert.equal(parseOvalDate('April 2021'), undefined);
  });
});
