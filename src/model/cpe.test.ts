import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cpeValueText, toFsCpe, unbindCpe } from './cpe.js';

describe('CPE binding', () => {
  it('binds URI names from os-release files as formatted strings', () => {
    assert.equal(toFsCpe('cpe:/o:redhat:enterprise_linux:8'), 'cpe:2.3:o:redhat:enterprise_linux:8:*:*:*:*:*:*:*');
    assert.equal(toFsCpe('cpe:/o:redhat:enterprise_linux:9::baseos'), 'cpe:2.3:o:redhat:enterprise_linux:9:*:baseos:*:*:*:*:*');
    assert.equal(toFsCpe('cpe:/o:amazon:linux:2018.03:ga'), 'cpe:2.3:o:amazon:linux:2018.03:ga:*:*:*:*:*:*');
    assert.equal(toFsCpe('cpe:/o:oracle:linux:9:3:server'), 'cpe:2.3:o:oracle:linux:9:3:server:*:*:*:*:*');
    assert.equal(toFsCpe('cpe:/o:suse:sles:15:sp5'), 'cpe:2.3:o:suse:sles:15:sp5:*:*:*:*:*:*');
    assert.equal(toFsCpe('cpe:/o:fedoraproject:fedora:-'), 'cpe:2.3:o:fedoraproject:fedora:-:*:*:*:*:*:*:*');
    assert.equal(toFsCpe('cpe:/a:foo%21:bar'), 'cpe:2.3:a:foo\\!:bar:*:*:*:*:*:*:*:*');
    assert.equal(toFsCpe('cpe:/a:vendor:product:1.0:update:~ed~sw~tsw~thw~oth'), 'cpe:2.3:a:vendor:product:1.0:update:ed:*:sw:tsw:thw:oth');
  });

  it('accepts short and full formatted strings', () => {
    assert.equal(toFsCpe('cpe:2.3:o:amazon:amazon_linux:2'), 'cpe:2.3:o:amazon:amazon_linux:2:*:*:*:*:*:*:*');
    assert.equal(toFsCpe('cpe:2.3:o:amazon:amazon_linux:2023'), 'cpe:2.3:o:amazon:amazon_linux:2023:*:*:*:*:*:*:*');
    const full = 'cpe:2.3:a:microsoft:internet_explorer:8.0.6001:beta:*:*:*:*:*:*';
    assert.equal(toFsCpe(full), full);
    assert.equal(toFsCpe('cpe:2.3:a:foo\\:bar:baz'), 'cpe:2.3:a:foo\\:bar:baz:*:*:*:*:*:*:*:*');
  });

  it('exposes plain attribute text', () => {
    const wfn = unbindCpe('cpe:/o:opensuse:leap:15.5');
    assert.ok(wfn);
    assert.equal(cpeValueText(wfn.vendor), 'opensuse');
    assert.equal(cpeValueText(wfn.version), '15.5');
    assert.equal(cpeValueText(wfn.update), '');
  });

  it('rejects what is not a CPE name', () => {
    for (const bad of ['', 'redhat', 'cpe:/x:vendor', 'cpe:/o:a:b:c:d:e:f:g', 'cpe:/o:sp ace', 'cpe:2.3:o:a:b:c:d:e:f:g:h:i:j:k', 'cpe:2.3:o::x', 'cpe:/a:%zz']) {
      assert.equal(unbindCpe(bad), undefined, bad);
    }
  });
});
