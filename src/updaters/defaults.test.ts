import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_SET_FACTORIES, selectSetFactories } from './defaults.js';
import { defaultMatchers, selectMatchers } from '../matcher/defaults.js';
import { isClairError } from '../lib/errors.js';

describe('default registries', () => {
  it('select updater sets by name: all when absent, none for [], an error naming an unknown one', () => {
    const names = DEFAULT_SET_FACTORIES.map((f) => f.name);
    assert.equal(new Set(names).size, names.length, 'set names are unique');
    assert.deepEqual(selectSetFactories(undefined).map((f) => f.name), names);
    assert.deepEqual(selectSetFactories([]), []);
    assert.deepEqual(selectSetFactories(['rhel-vex', 'alpine']).map((f) => f.name), ['rhel-vex', 'alpine']);
    assert.throws(() => selectSetFactories(['alpin']), (e) => isClairError(e, 'CONFIG_INVALID') && /unknown updater set "alpin"/.test((e as Error).message));
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
