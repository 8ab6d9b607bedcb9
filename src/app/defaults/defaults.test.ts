import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_SET_FACTORIES } from './updaters.js';
import { defaultMatchers, selectMatchers } from './matchers.js';

describe('default registries', () => {
  it('lists each updater set once, by its Clair name', () => {
    const names = DEFAULT_SET_FACTORIES.map((f) => f.name);
    assert.deepEqual(names, ['alpine', 'aws', 'azurelinux', 'chainguard', 'debian', 'oracle', 'osv', 'photon', 'rhel-vex', 'suse', 'ubuntu', 'wolfi']);
  });

  it('select matchers by name, with the rhel matcher configured', () => {
    const names = defaultMatchers().map((m) => m.name);
    assert.equal(new Set(names).size, names.length);
    assert.deepEqual(selectMatchers(['debian-matcher']).map((m) => m.name), ['debian-matcher']);
    assert.deepEqual(selectMatchers([]), []);
    assert.throws(() => selectMatchers(['nope']), /unknown matcher "nope"/);
    const rhel = selectMatchers(['rhel'], { rhel: { ignore_unpatched: true } })[0]!;
    assert.ok(rhel.query().includes('HasFixedInVersion'));
    const [debian, alpine] = selectMatchers(['debian-matcher', 'alpine-matcher'], { 'debian-matcher': { ignore_unpatched: true } });
    assert.deepEqual(debian!.query(), ['DistributionDID', 'DistributionName', 'DistributionVersionID', 'HasFixedInVersion']);
    assert.ok(!alpine!.query().includes('HasFixedInVersion'), 'only the configured matcher changes');
  });
});
