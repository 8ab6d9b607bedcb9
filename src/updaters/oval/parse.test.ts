import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { isClairError } from '../../lib/errors.js';
import { collect } from '../../test-support/feed-server.js';
import { enabledModules, flattenCriteria, readDefinitions, readRpmInfoTables, type Criteria } from './index.js';
import { testdata, updaterContext } from './updater.case.js';

const FIXTURE = testdata('oval/testdata/rpminfo.xml');
const opts = { component: 'test' };

describe('OVAL first pass: rpminfo tables', () => {
  it('keeps rpminfo tests, objects and states, whatever their namespace prefix', async () => {
    const t = await readRpmInfoTables(FIXTURE, opts);
    assert.deepEqual([...t.tests.keys()], ['100', '102', '103', '104', '105', '201', '202', '203', '204', '205'].map((n) => `oval:test:tst:${n}`));
    assert.equal(t.otherTests, 3); // the module's textfilecontent54_test, uname_test, textfilecontent54_test
    assert.deepEqual(t.tests.get('oval:test:tst:102'), { objectRef: 'oval:test:obj:102', stateRefs: ['oval:test:ste:102'] });
    assert.deepEqual(t.tests.get('oval:test:tst:203'), { objectRef: 'oval:test:obj:203', stateRefs: [] });
    assert.deepEqual([...t.objects.values()], ['test-release', 'nodejs', 'npm', 'kernel', 'kernel-tools', 'kernel-headers', 'kernel-devel']);
    assert.deepEqual(t.states.get('oval:test:ste:201'), {
      evr: { value: '0:4.18.0-500.el8', operation: 'less than' },
      arch: { value: 'aarch64|x86_64', operation: 'pattern match' },
      signatureKeyId: undefined,
      version: undefined,
      release: undefined,
    });
    assert.deepEqual(t.states.get('oval:test:ste:199')?.signatureKeyId, { value: '199e2f91fd431d51', operation: 'equals' });
    assert.equal(t.states.get('oval:test:ste:199')?.evr, undefined);
    assert.deepEqual(t.states.get('oval:test:ste:204')?.arch, { value: 's390x', operation: 'not equal' });
    assert.equal(t.states.has('oval:test:ste:101'), false); // a textfilecontent54_state
  });

  it('rejects documents that are not OVAL, empty, malformed or truncated', async () => {
    const ctx = await updaterContext();
    try {
      const cases: Array<[string, RegExp]> = [
        ['<html><body>Service Unavailable</body></html>', /^test: not an OVAL definitions document \(root element <html>\)$/],
        ['', /^test: empty OVAL document$/],
        ['<oval_definitions><tests></objects></oval_definitions>', /^test: malformed XML in bad\.xml: Unexpected close tag, Line: 0, Column: \d+/],
        ['<oval_definitions><definitions><definition id="a">', /^test: malformed XML in bad\.xml: Unclosed root tag/],
        ['<oval_definitions>&bogus;</oval_definitions>', /^test: malformed XML in bad\.xml: Invalid character entity/],
        ['<oval_definitions></oval_definitions>trailing', /^test: malformed XML in bad\.xml: Text data outside of root node/],
      ];
      for (const [xml, message] of cases) {
        const file = join(ctx.dir, 'bad.xml');
        await writeFile(file, xml);
        await assert.rejects(readRpmInfoTables(file, opts), (err: unknown) => {
          assert.ok(isClairError(err, 'UPDATER_PARSE'), String(err));
          assert.match(err.message, message);
          return true;
        });
      }
    } finally {
      await ctx.cleanup();
    }
  });
});

describe('OVAL second pass: definitions', () => {
  it('reads metadata: title, description (CDATA and entities), references, advisory', async () => {
    const [first, second, , fourth] = await collect(readDefinitions(FIXTURE, opts));
    assert.ok(first && second && fourth);
    assert.equal(first.id, 'oval:test:def:1');
    assert.equal(first.class, 'patch');
    assert.equal(first.title, 'TEST-2024:0001: nodejs:18 security update (Important)');
    assert.equal(first.description, 'Node.js <18.19> fixes & more. Second & last part.');
    assert.deepEqual(first.affected, [{ family: 'unix', platforms: ['Test Linux 8'] }]);
    assert.deepEqual(first.references, [
      { source: 'TEST', refId: 'TEST-2024:0001', refUrl: 'https://example.test/errata/TEST-2024-0001' },
      { source: 'CVE', refId: 'CVE-2024-0001', refUrl: 'https://example.test/cve/CVE-2024-0001' },
    ]);
    assert.deepEqual(first.advisory, {
      severity: 'Important',
      issued: new Date('2024-01-02T00:00:00Z'),
      updated: new Date('2024-02-03T10:11:12Z'),
      cves: [{ id: 'CVE-2024-0001', href: 'https://example.test/cve/CVE-2024-0001' }],
      bugzillas: [{ id: '1', href: 'https://bugzilla.example.test/1' }],
      refs: [],
      bugs: [],
      affectedCpes: ['cpe:/a:test:enterprise_linux:8::appstream'],
    });
    assert.equal(second.advisory.issued, undefined); // "not a date"
    assert.equal(fourth.criteria, undefined);
  });

  it('keeps the criteria tree: operators, nesting, negate and extend_definition', async () => {
    const [first, second] = await collect(readDefinitions(FIXTURE, opts));
    const c = (testRef: string, comment: string, negate = false) => ({ type: 'criterion', testRef: `oval:test:tst:${testRef}`, comment, negate });
    const expected: Criteria = {
      type: 'criteria',
      operator: 'OR',
      negate: false,
      comment: '',
      children: [
        c('100', 'Test Linux must be installed'),
        {
          type: 'criteria',
          operator: 'AND',
          negate: false,
          comment: '',
          children: [
            c('101', 'Module nodejs:18 is enabled'),
            {
              type: 'criteria',
              operator: 'OR',
              negate: false,
              comment: '',
              children: [
                { type: 'criteria', operator: 'AND', negate: false, comment: '', children: [c('102', 'nodejs is earlier than 1:18.19.0-1.module+el8'), c('103', 'nodejs is signed with Test key')] },
                { type: 'criteria', operator: 'AND', negate: false, comment: '', children: [c('104', 'npm is earlier than 1:10.2.3-1.18.19.0.1.module+el8'), c('105', 'npm is signed with Test key')] },
              ],
            },
          ],
        },
        { type: 'extend_definition', definitionRef: 'oval:test:def:99', comment: 'Test Linux 8 is installed', negate: false },
      ],
    } as Criteria;
    assert.deepEqual(first?.criteria, expected);
    assert.deepEqual(second?.criteria?.children.find((n) => n.type === 'criterion' && n.negate), c('205', 'kernel is not a debug build', true));
  });

  it('flattens criteria in claircore order (nested criteria first) and finds enabled modules', async () => {
    const [first] = await collect(readDefinitions(FIXTURE, opts));
    const flat = flattenCriteria(first?.criteria);
    assert.deepEqual(flat.map((c) => c.testRef.replace('oval:test:tst:', '')), ['102', '103', '104', '105', '101', '100']);
    assert.deepEqual(enabledModules(flat), ['nodejs:18']);
    assert.deepEqual(enabledModules([{ type: 'criterion', testRef: '', negate: false, comment: 'Module php:7.4 is enabled and Module x is enabled' }]), ['php:7.4 is enabled and Module x']);
  });

  it('stops reading at </definitions>, leaving the rest to the first pass', async () => {
    const ctx = await updaterContext();
    try {
      const file = join(ctx.dir, 'tail.xml');
      // Padding larger than a read chunk (64 KiB) puts the broken tail in a chunk the second pass never reads.
      const padding = '<pad/>'.repeat(40_000);
      await writeFile(file, `<oval_definitions><definitions><definition id="d"><metadata><title>T</title></metadata></definition></definitions>${padding}<tests><oops></tests></oval_definitions>`);
      assert.deepEqual((await collect(readDefinitions(file, opts))).map((d) => d.title), ['T']);
      await assert.rejects(readRpmInfoTables(file, opts), (err: unknown) => isClairError(err, 'UPDATER_PARSE') && /Unexpected close tag/.test(err.message));
    } finally {
      await ctx.cleanup();
    }
  });
});
