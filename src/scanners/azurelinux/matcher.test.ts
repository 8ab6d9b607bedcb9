import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Distribution, IndexRecord, Vulnerability } from '../../model/index.js';
import { azureLinuxRelease } from '../../model/releases.js';
import { buildQuery } from '../../matcher/controller.js';
import { azureLinuxMatcher as matcher } from './matcher.js';

function dist(version: string): Distribution {
  const d = azureLinuxRelease(version);
  return { id: '1', did: d.did, name: d.name, version: d.version, version_code_name: '', version_id: d.versionId, arch: '', cpe: '', pretty_name: d.prettyName };
}

/** openssl-libs from the openssl source rpm, as the rpm scanner reports it. */
function record(version: string, distribution: Distribution | undefined = dist('3.0')): IndexRecord {
  return {
    package: {
      id: '10', name: 'openssl-libs', version, kind: 'binary', arch: 'x86_64', normalized_version: '', cpe: '',
      source: { id: '11', name: 'openssl', version: version.replace(/^\d+:/, ''), kind: 'source', normalized_version: '', cpe: '' },
    },
    distribution,
  };
}

function vuln(fixed: string, last = ''): Vulnerability {
  return {
    id: '1', updater: 'azurelinux-updater-3.0', name: 'CVE-2024-6119', description: '', issued: '', links: '', severity: 'High', normalized_severity: 'High',
    package: { id: '', name: 'openssl', version: last, kind: 'source', normalized_version: '', cpe: '' },
    distribution: dist('3.0'), repository: { id: '', name: '', key: '', uri: '', cpe: '' }, fixed_in_version: fixed,
  };
}

describe('azurelinux matcher', () => {
  it('handles Azure Linux and CBL-Mariner records only', () => {
    assert.equal(matcher.name, 'azurelinux');
    assert.ok(matcher.filter(record('3.3.2-1.azl3')));
    assert.ok(matcher.filter(record('1.1.1k-31.cm2', dist('2.0'))));
    assert.ok(matcher.filter(record('1.1.1k-6.cm1', dist('1.0'))));
    assert.ok(!matcher.filter(record('3.0.7-27.el9', { ...dist('3.0'), did: 'rhel' })));
    assert.ok(!matcher.filter({ package: record('3.3.2-1.azl3').package }), 'no distribution');
  });

  it('looks up the binary and its source package under the DID and the N.0 release', () => {
    assert.deepEqual(buildQuery(matcher, record('3.3.2-1.azl3')), {
      names: [{ name: 'openssl-libs', kind: 'binary' }, { name: 'openssl', kind: 'source' }],
      constraints: { dist_id: 'azurelinux', dist_version_id: '3.0' },
    });
    assert.deepEqual(buildQuery(matcher, record('1.1.1k-31.cm2', dist('2.0')))?.constraints, { dist_id: 'mariner', dist_version_id: '2.0' });
  });

  it('is vulnerable below the fix only, comparing the installed EVR in rpm order', () => {
    assert.equal(matcher.vulnerable(record('3.3.2-1.azl3'), vuln('0:3.3.2-3.azl3')), true);
    assert.equal(matcher.vulnerable(record('3.3.2-3.azl3'), vuln('0:3.3.2-3.azl3')), false);
    assert.equal(matcher.vulnerable(record('3.3.10-1.azl3'), vuln('0:3.3.2-3.azl3')), false);
    assert.equal(matcher.vulnerable(record('1:3.3.0-1.azl3'), vuln('0:3.3.2-3.azl3')), false, 'a higher epoch wins');
  });

  it('without a fix, is vulnerable up to and including the last affected version', () => {
    assert.equal(matcher.vulnerable(record('3.3.2-1.azl3'), vuln('', '0:3.3.2-1.azl3')), true);
    assert.equal(matcher.vulnerable(record('3.3.2-2.azl3'), vuln('', '0:3.3.2-1.azl3')), false);
    assert.equal(matcher.vulnerable(record('3.3.2-2.azl3'), vuln('')), true, 'no bound at all: every version');
  });
});
