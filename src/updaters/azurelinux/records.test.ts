import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { isClairError } from '../../lib/errors.js';
import { azureLinuxRelease } from '../../model/releases.js';
import { collect } from '../../test-support/feed-server.js';
import { azureLinuxRecords, normalizeAzureLinuxSeverity, readAzureLinuxDefinitions } from './index.js';

const NS = 'oval:com.microsoft.azurelinux';

/** An OVAL document with these definitions and rpminfo parts, in Microsoft's layout. */
function oval(definitions: string, tests: string, objects: string, states: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<oval_definitions xmlns="http://oval.mitre.org/XMLSchema/oval-definitions-5" xmlns:linux-def="http://oval.mitre.org/XMLSchema/oval-definitions-5#linux">
  <definitions>${definitions}</definitions>
  <tests>${tests}</tests>
  <objects>${objects}</objects>
  <states>${states}</states>
</oval_definitions>
`;
}

const test = (n: number, state = true) =>
  `<linux-def:rpminfo_test check="at least one" id="${NS}:tst:${n}" version="1"><linux-def:object object_ref="${NS}:obj:${n}"/>${state ? `<linux-def:state state_ref="${NS}:ste:${n}"/>` : ''}</linux-def:rpminfo_test>`;
const object = (n: number, name: string) => `<linux-def:rpminfo_object id="${NS}:obj:${n}" version="1"><linux-def:name>${name}</linux-def:name></linux-def:rpminfo_object>`;
const state = (n: number, operation: string, evr: string) =>
  `<linux-def:rpminfo_state id="${NS}:ste:${n}" version="1"><linux-def:evr datatype="evr_string" operation="${operation}">${evr}</linux-def:evr></linux-def:rpminfo_state>`;

describe('azurelinux OVAL records', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'clair-azurelinux-test-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  const parse = async (text: string) => {
    const path = join(dir, 'oval.xml');
    await writeFile(path, text);
    return collect(azureLinuxRecords(path, { updater: 'azurelinux-updater-3.0', distribution: azureLinuxRelease('3.0') }));
  };
  const summary = (records: Awaited<ReturnType<typeof parse>>) =>
    records.map((r) => `${r.name} ${r.package.name} fixed=${r.fixedInVersion} last=${r.package.version} ${r.severity}/${r.normalizedSeverity} [${r.links}]`);

  it('reads the Red Hat-style advisory severity when metadata has none, and prefers the CVE reference', async () => {
    const def = `<definition class="vulnerability" id="${NS}:def:1" version="1"><metadata>
      <title>CVE-2024-0001 affecting package zlib</title>
      <reference ref_id="ADV-1" ref_url="https://example.com/adv/1" source="ADVISORY"/>
      <reference ref_id="CVE-2024-0001" ref_url="https://nvd.nist.gov/vuln/detail/CVE-2024-0001" source="CVE"/>
      <reference ref_id="CVE-2024-0001" ref_url="https://example.com/adv/1" source="CVE"/>
      <patchable>true</patchable><advisory><severity>Important</severity></advisory>
      <description>  spaced  </description></metadata>
      <criteria operator="AND"><criterion comment="zlib" test_ref="${NS}:tst:1"/></criteria></definition>`;
    const records = await parse(oval(def, test(1), object(1, 'zlib'), state(1, 'less than', '0:1.3-1.azl3')));
    assert.deepEqual(summary(records), ['CVE-2024-0001 zlib fixed=0:1.3-1.azl3 last= Important/High [https://example.com/adv/1 https://nvd.nist.gov/vuln/detail/CVE-2024-0001]']);
    assert.equal(records[0]?.description, 'spaced');
    assert.equal(records[0]?.issued, undefined);
  });

  it('skips negated criteria, dangling test references and lower bounds, and reads a stateless test as every version', async () => {
    const def = `<definition class="vulnerability" id="${NS}:def:2" version="1"><metadata>
      <title>CVE-2024-0002 affecting package curl</title><patchable>false</patchable><severity>high</severity></metadata>
      <criteria operator="OR">
        <criterion negate="true" test_ref="${NS}:tst:1"/>
        <criterion test_ref="${NS}:tst:404"/>
        <criteria operator="AND"><criterion test_ref="${NS}:tst:2"/><criterion test_ref="${NS}:tst:3"/></criteria>
        <extend_definition definition_ref="${NS}:def:1"/>
        <criterion test_ref="${NS}:tst:2"/>
      </criteria></definition>`;
    const records = await parse(
      oval(def, test(1) + test(2) + test(3, false), object(1, 'curl') + object(2, 'curl') + object(3, 'libcurl-minimal'), state(1, 'less than', '0:9-1') + state(2, 'greater than or equal', '0:8-1')),
    );
    // No reference: the name is the title's first word.
    assert.deepEqual(summary(records), ['CVE-2024-0002 libcurl-minimal fixed= last= high/High []']);
  });

  it('skips Not Applicable in any case, classes other than vulnerability and patch, and definitions without criteria', async () => {
    const def = (n: number, cls: string, patchable: string, criteria = true) =>
      `<definition class="${cls}" id="${NS}:def:${n}" version="1"><metadata><title>CVE-2024-000${n} affecting package p${n}</title>
       <reference ref_id="CVE-2024-000${n}" ref_url="" source="CVE"/><patchable>${patchable}</patchable><severity>None</severity></metadata>
       ${criteria ? `<criteria><criterion test_ref="${NS}:tst:${n}"/></criteria>` : ''}</definition>`;
    const records = await parse(
      oval(
        def(1, 'vulnerability', 'NOT APPLICABLE') + def(2, 'inventory', 'true') + def(3, 'vulnerability', 'true', false) + def(4, 'patch', 'true') + def(5, 'vulnerability', 'false'),
        [1, 2, 3, 4, 5].map((n) => test(n)).join(''),
        [1, 2, 3, 4, 5].map((n) => object(n, `p${n}`)).join(''),
        [1, 2, 3, 4, 5].map((n) => state(n, n === 5 ? 'less than or equal' : 'less than', `0:${n}-1`)).join(''),
      ),
    );
    assert.deepEqual(summary(records), ['CVE-2024-0004 p4 fixed=0:4-1 last= None/Unknown []', 'CVE-2024-0005 p5 fixed= last=0:5-1 None/Unknown []']);
  });

  it('streams definitions in document order and stops at </definitions>', async () => {
    const path = join(dir, 'order.xml');
    const defs = Array.from({ length: 3000 }, (_, i) => `<definition class="vulnerability" id="${NS}:def:${i}"><metadata><title>T${i}</title><advisory_date>2024-02-30T00:00:00Z</advisory_date></metadata></definition>`).join('\n');
    // Anything after </definitions> is the tables pass's business, even text that would not parse as a definition.
    await writeFile(path, oval(defs, '', '', '').replace('<tests>', '<tests><definition id="late"/>'));
    const seen = (await collect(readAzureLinuxDefinitions(path, { component: 'test' }))).map((d) => d.title);
    assert.equal(seen.length, 3000);
    assert.deepEqual([seen[0], seen[1], seen[2999]], ['T0', 'T1', 'T2999']);
    // A date that does not exist is left out rather than failing the feed.
    assert.equal((await collect(readAzureLinuxDefinitions(path, { component: 'test' })))[0]?.advisoryDate, undefined);
  });

  it('rejects a document that is not OVAL, or is cut short, with a parse error naming the updater', async () => {
    await assert.rejects(parse('<html><body>rate limited</body></html>'), (err: unknown) => isClairError(err, 'UPDATER_PARSE') && /^azurelinux-updater-3\.0: not an OVAL definitions document \(root element <html>\)/.test(err.message));
    const whole = oval(`<definition class="vulnerability" id="${NS}:def:1"><metadata><title>x</title></metadata></definition>`, '', '', '');
    await assert.rejects(parse(whole.slice(0, whole.length / 2)), (err: unknown) => isClairError(err, 'UPDATER_PARSE') && /^azurelinux-updater-3\.0: malformed XML in oval\.xml/.test(err.message));
  });
});

describe('normalizeAzureLinuxSeverity', () => {
  it('maps CVSS rating words and the Red Hat ones, anything else to Unknown', () => {
    assert.deepEqual(
      ['Critical', 'High', 'Important', 'Medium', 'moderate', ' Low ', 'Negligible', 'None', 'Unknown', ''].map(normalizeAzureLinuxSeverity),
      ['Critical', 'High', 'High', 'Medium', 'Medium', 'Low', 'Negligible', 'Unknown', 'Unknown', 'Unknown'],
    );
  });
});
