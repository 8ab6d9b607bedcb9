import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isClairError } from '../../lib/errors.js';
import { parseUbuntuConfig, parseUbuntuUpdaterConfig, DEFAULT_API_URL, DEFAULT_OVAL_URL } from './config.js';
import { seriesPage } from './launchpad.js';
import { definitionHandlers, links, type Definition } from './oval-definitions.js';
import { emptyTables, tableHandlers } from './oval-tables.js';
import { archOp, normalizeUbuntuSeverity, UbuntuRecordBuilder } from './records.js';
import { xmlFeeder } from './xml.js';
import { ubuntuRelease } from '../../model/releases.js';

/** Runs both passes over an in-memory document, feeding it in small chunks. */
function recordsOf(xml: string, chunk = 7) {
  const tables = emptyTables();
  const defs: Definition[] = [];
  for (const handlers of [tableHandlers(tables), definitionHandlers((d) => defs.push(d))]) {
    const feeder = xmlFeeder(handlers, 'test', 'inline');
    for (let i = 0; i < xml.length; i += chunk) feeder.write(xml.slice(i, i + chunk));
    feeder.close();
  }
  const builder = new UbuntuRecordBuilder('ubuntu/updater/noble', '24.04', 'noble');
  return { defs, records: defs.flatMap((d) => builder.records(d, tables)) };
}

const DOC = `<?xml version="1.0"?>
<oval_definitions xmlns:linux-def="http://oval.mitre.org/XMLSchema/oval-definitions-5#linux">
  <definitions>
    <definition class="patch" id="def:1" version="1">
      <metadata>
        <title> USN-0001-1 -- example </title>
        <description>multi
line</description>
        <reference source="CVE" ref_id="CVE-1" ref_url="https://e/CVE-1"/>
        <reference source="USN" ref_id="USN-1" ref_url=""/>
        <advisory>
          <severity>Critical</severity>
          <issued date="2024-03-04"/>
          <ref>https://e/CVE-1</ref>
          <bug>  https://bugs/1  </bug>
          <cve href="https://e/CVE-2">CVE-2</cve>
        </advisory>
      </metadata>
      <criteria operator="AND">
        <criterion test_ref="tst:root"/>
        <criteria operator="OR">
          <criteria><criterion test_ref="tst:deep"/></criteria>
          <criterion test_ref="tst:mid"/>
        </criteria>
      </criteria>
    </definition>
    <definition class="vulnerability" id="def:2" version="1">
      <metadata><title>CVE-3</title><description/><advisory><severity>Untriaged</severity></advisory></metadata>
      <criteria><criterion test_ref="tst:unknownvar"/><criterion test_ref="tst:emptyevr"/></criteria>
    </definition>
  </definitions>
  <tests>
    <linux-def:dpkginfo_test id="tst:root"><linux-def:object object_ref="obj:root"/><linux-def:state state_ref="ste:arch"/></linux-def:dpkginfo_test>
    <linux-def:dpkginfo_test id="tst:deep"><linux-def:object object_ref="obj:deep"/></linux-def:dpkginfo_test>
    <linux-def:dpkginfo_test id="tst:mid"><linux-def:object object_ref="obj:mid"/><linux-def:state state_ref="ste:plain"/></linux-def:dpkginfo_test>
    <linux-def:dpkginfo_test id="tst:unknownvar"><linux-def:object object_ref="obj:unknownvar"/></linux-def:dpkginfo_test>
    <linux-def:dpkginfo_test id="tst:emptyevr"><linux-def:object object_ref="obj:deep"/><linux-def:state state_ref="ste:empty"/></linux-def:dpkginfo_test>
  </tests>
  <objects>
    <linux-def:dpkginfo_object id="obj:root"><linux-def:name>root-pkg</linux-def:name></linux-def:dpkginfo_object>
    <linux-def:dpkginfo_object id="obj:deep"><linux-def:name var_ref="var:deep"/></linux-def:dpkginfo_object>
    <linux-def:dpkginfo_object id="obj:mid"><linux-def:name> mid-pkg </linux-def:name></linux-def:dpkginfo_object>
    <linux-def:dpkginfo_object id="obj:unknownvar"><linux-def:name var_ref="var:missing"/></linux-def:dpkginfo_object>
  </objects>
  <states>
    <linux-def:dpkginfo_state id="ste:arch"><linux-def:arch operation="pattern match">amd64|arm64</linux-def:arch><linux-def:evr operation="less than">1:2.0-1</linux-def:evr></linux-def:dpkginfo_state>
    <linux-def:dpkginfo_state id="ste:plain"><linux-def:evr operation="less than">0:3.0</linux-def:evr></linux-def:dpkginfo_state>
    <linux-def:dpkginfo_state id="ste:empty"><linux-def:evr operation="less than"></linux-def:evr></linux-def:dpkginfo_state>
  </states>
  <variables>
    <constant_variable id="var:deep"><value>deep-a</value><value>deep-b</value></constant_variable>
  </variables>
</oval_definitions>`;

describe('ubuntu OVAL parsing', () => {
  it('reads metadata, walks nested criteria depth first, and maps arch, issued and severity', () => {
    const { defs, records } = recordsOf(DOC);
    assert.deepEqual(defs[0]!.testRefs, ['tst:deep', 'tst:mid', 'tst:root']);
    const base = {
      updater: 'ubuntu/updater/noble',
      name: 'USN-0001-1 -- example',
      description: 'multi\nline',
      issued: new Date('2024-03-04'),
      links: 'https://e/CVE-1 https://bugs/1 https://e/CVE-2',
      severity: 'Critical',
      normalizedSeverity: 'Critical' as const,
      distribution: ubuntuRelease('24.04', 'noble'),
    };
    const pkg = (name: string, arch = '') => ({ name, version: '', module: '', arch, kind: 'binary' as const });
    assert.deepEqual(records, [
      { ...base, package: pkg('deep-a'), fixedInVersion: '', archOp: '' },
      { ...base, package: pkg('deep-b'), fixedInVersion: '', archOp: '' },
      { ...base, package: pkg('mid-pkg'), fixedInVersion: '0:3.0', archOp: '' },
      { ...base, package: pkg('root-pkg', 'amd64|arm64'), fixedInVersion: '1:2.0-1', archOp: 'pattern match' },
      // def:2: an unknown variable names no package; an empty EVR is an unfixed version check.
      {
        updater: 'ubuntu/updater/noble', name: 'CVE-3', description: '', links: '', severity: 'Untriaged', normalizedSeverity: 'Unknown',
        distribution: ubuntuRelease('24.04', 'noble'), package: pkg('deep-a'), fixedInVersion: '', archOp: '',
      },
      {
        updater: 'ubuntu/updater/noble', name: 'CVE-3', description: '', links: '', severity: 'Untriaged', normalizedSeverity: 'Unknown',
        distribution: ubuntuRelease('24.04', 'noble'), package: pkg('deep-b'), fixedInVersion: '', archOp: '',
      },
    ]);
  });

  it('gives the same result whatever the chunking', () => {
    assert.deepEqual(recordsOf(DOC, 1).records, recordsOf(DOC, 65536).records);
  });

  it('maps Ubuntu priorities one to one, case-sensitively as upstream', () => {
    for (const s of ['Negligible', 'Low', 'Medium', 'High', 'Critical'] as const) assert.equal(normalizeUbuntuSeverity(s), s);
    for (const s of ['Untriaged', 'medium', '']) assert.equal(normalizeUbuntuSeverity(s), 'Unknown');
  });

  it('maps OVAL operations to arch operations', () => {
    assert.equal(archOp('equals'), 'equals');
    assert.equal(archOp('not equal'), 'not equals');
    assert.equal(archOp('pattern match'), 'pattern match');
    assert.equal(archOp('less than'), '');
  });

  it('joins links in claircore’s order without empties or duplicates', () => {
    const def = { references: ['a', ''], refs: ['b', 'a'], bugs: ['c'], cves: ['b', 'd'] } as unknown as Definition;
    assert.equal(links(def), 'a b c d');
  });

  it('reports the first XML error as UPDATER_PARSE and stops', () => {
    const feeder = xmlFeeder(tableHandlers(emptyTables()), 'ubuntu/updater/x', 'doc.xml');
    assert.throws(() => feeder.write('<a><b></a>'), (err: unknown) => isClairError(err, 'UPDATER_PARSE') && /ubuntu\/updater\/x: malformed XML in doc\.xml: Unexpected close tag/.test((err as Error).message));
    assert.throws(() => feeder.close(), /Unexpected close tag/);
  });
});

describe('ubuntu config and Launchpad pages', () => {
  it('defaults to claircore’s upstream URLs', () => {
    assert.deepEqual(parseUbuntuConfig(undefined), { config: { seriesUrl: 'https://api.launchpad.net/1.0/ubuntu/series', ovalUrl: DEFAULT_OVAL_URL, releases: undefined, force: [] }, lints: [] });
    assert.equal(DEFAULT_API_URL, 'https://api.launchpad.net/1.0/');
    assert.equal(DEFAULT_OVAL_URL, 'https://security-metadata.canonical.com/oval/');
    assert.equal(parseUbuntuConfig({ oval_url: 'http://mirror.local/oval' }).config.ovalUrl, 'http://mirror.local/oval/');
  });

  it('builds the series URL as claircore: path.Join(name, "series") resolved against url', () => {
    const series = (raw: Record<string, unknown>): string => parseUbuntuConfig(raw).config.seriesUrl;
    assert.equal(series({ url: 'http://lp.local/1.0/' }), 'http://lp.local/1.0/ubuntu/series');
    assert.equal(series({ url: 'http://lp.local/1.0/', name: 'ubuntu-rtm' }), 'http://lp.local/1.0/ubuntu-rtm/series');
    assert.equal(series({ url: 'http://lp.local/1.0' }), 'http://lp.local/ubuntu/series', 'no trailing slash: the last segment is replaced');
    assert.equal(series({ url: '', name: '' }), 'https://api.launchpad.net/1.0/ubuntu/series', 'empty strings are the defaults');
    assert.deepEqual(parseUbuntuConfig({ url: 'http://lp.local/1.0' }).lints.map((l) => l.path), ['updaters.config.ubuntu.url']);
    assert.deepEqual(parseUbuntuConfig({ url: 'http://lp.local/1.0/ubuntu/series' }).lints, [
      { path: 'updaters.config.ubuntu.url', message: 'is the Launchpad API root in claircore ("https://api.launchpad.net/1.0/"); "<name>/series" is appended, giving http://lp.local/1.0/ubuntu/ubuntu/series' },
    ]);
  });

  it('reads force pairs as strings and refuses an unquoted YAML version', () => {
    assert.deepEqual(parseUbuntuConfig({ force: [{ name: 'focal', version: '20.04' }] }).config.force, [{ name: 'focal', version: '20.04' }]);
    assert.throws(() => parseUbuntuConfig({ force: [{ name: 'focal', version: 20.04 }] }), /^ClairError: config: updaters\.config\.ubuntu\.force\[0\]\.version: must be a string, got number$/);
    assert.throws(() => parseUbuntuConfig({ force: 'focal' }), /config: updaters\.config\.ubuntu\.force: must be a list, got string/);
  });

  it('reads an updater block: url replaces the document URL, use_bzip2 is checked and linted as unneeded', () => {
    assert.deepEqual(parseUbuntuUpdaterConfig('ubuntu/updater/jammy', { url: 'http://m.local/jammy.xml', use_bzip2: true }), {
      config: { url: 'http://m.local/jammy.xml' },
      lints: [{ path: 'updaters.config.ubuntu/updater/jammy.use_bzip2', message: 'not needed: bzip2 is detected from the downloaded data, so this setting changes nothing' }],
    });
    assert.throws(() => parseUbuntuUpdaterConfig('ubuntu/updater/jammy', { use_bzip2: 'yes' }), /updaters\.config\.ubuntu\/updater\/jammy\.use_bzip2: must be a boolean, got string/);
  });

  it('skips series entries without a name or version and reads the next link', () => {
    const page = seriesPage(JSON.stringify({ entries: [{ name: 'jammy', version: '22.04', active: true }, { name: 'x' }, 'junk', { name: 'old', version: '4.10' }], next_collection_link: 'p2' }), 'u');
    assert.deepEqual(page, { series: [{ name: 'jammy', version: '22.04', active: true }, { name: 'old', version: '4.10', active: false }], next: 'p2' });
    assert.throws(() => seriesPage('{"entries": {}}', 'u'), /has no "entries" array/);
  });
});
