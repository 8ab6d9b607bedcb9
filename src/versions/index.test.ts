import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  compareNormalized,
  compareVersions,
  formatNormalized,
  getScheme,
  INT32_MAX,
  mustParse,
  normalizedRangeContains,
  normalizedVersion,
  parseNormalized,
  SCHEME_NAMES,
  SCHEMES,
  type NormalizedVersion,
} from './index.js';
import { ClairError } from '../lib/errors.js';

const nv = (kind: string, values: number[]): NormalizedVersion => {
  const n = normalizedVersion(kind, values);
  if (!n) assert.fail(`bad normalized version ${kind} ${values.join('.')}`);
  return n;
};

describe('version scheme registry', () => {
  it('lists every scheme under its own name', () => {
    assert.deepEqual([...SCHEME_NAMES], ['dpkg', 'rpm', 'apk', 'pep440', 'maven', 'semver', 'gomod', 'crates', 'gem', 'composer', 'nuget']);
    for (const name of SCHEME_NAMES) {
      assert.equal(SCHEMES[name].name, name);
      assert.equal(getScheme(name), SCHEMES[name]);
    }
    assert.equal(getScheme('nope'), undefined);
    assert.equal(getScheme('toString'), undefined);
  });

  it('compares strings per scheme and returns undefined when either side does not parse', () => {
    assert.equal(compareVersions('apk', '1.6-r0', '1.6_rc1-r0'), 1);
    assert.equal(compareVersions('dpkg', '1.0~rc1', '1.0'), -1);
    assert.equal(compareVersions('rpm', '1.0^git1', '1.0'), 1);
    assert.equal(compareVersions('pep440', '1.0a1', '1.0.0alpha1'), 0);
    assert.equal(compareVersions('pep440', '1.0-post1', '1.0.post1'), 0);
    assert.equal(compareVersions('maven', '1.0', '1-ga'), 0);
    assert.equal(compareVersions('gem', '1.0.a', '1.0'), -1);
    assert.equal(compareVersions('semver', '1.0.0-rc.1', '1.0.0'), -1);
    assert.equal(compareVersions('gomod', 'v1.0.0', 'v1'), 0);
    assert.equal(compareVersions('crates', '1.0.0', '1.0.1'), -1);
    assert.equal(compareVersions('composer', 'v2.3.0-RC1', '2.3.0'), -1);
    assert.equal(compareVersions('nuget', '1.0.0-RC.1', '1.0.0-rc.1'), 0);
    assert.equal(compareVersions('rpm', 'x:1', '1'), undefined);
    assert.equal(compareVersions('dpkg', '1.0', ''), undefined);
    assert.equal(compareVersions(SCHEMES.pep440, 'french toast', '1.0'), undefined);
  });

  it('falls back to parse + compare for a scheme without compareStrings', () => {
    const { compareStrings: _unused, ...plain } = SCHEMES.dpkg;
    assert.equal(compareVersions(plain, '2.0', '10.0'), -1);
    assert.equal(compareVersions(plain, 'bad', '10.0'), undefined);
  });
});

describe('mustParse', () => {
  it('returns the version or throws CLAIR_ERR_VERSION_INVALID with the reason', () => {
    assert.deepEqual(mustParse(SCHEMES.dpkg, '1:2.0-1'), { epoch: 1, upstream: '2.0', revision: '1' });
    assert.throws(() => mustParse(SCHEMES.rpm, 'x:1.0'), (err: unknown) => {
      assert.ok(err instanceof ClairError);
      assert.equal(err.code, 'CLAIR_ERR_VERSION_INVALID');
      assert.equal(err.httpStatus, 400);
      assert.equal(err.message, 'rpm: epoch "x" is not a number');
      return true;
    });
  });
});

describe('normalized versions', () => {
  it('formats and parses claircore text', () => {
    const v = nv('pep440', [0, 1, 2, 3, 0, 0, -3, 1]);
    assert.equal(formatNormalized(v), 'pep440:0.1.2.3.0.0.-3.1.0.0');
    assert.deepEqual(parseNormalized('pep440:0.1.2.3.0.0.-3.1.0.0'), { ok: true, version: v });
    assert.equal(formatNormalized(nv('', [])), '');
    assert.equal(parseNormalized('pep440:1.2').ok, false);
    assert.equal(parseNormalized('1.2.3').ok, false);
    assert.equal(parseNormalized('x:0.0.0.0.0.0.0.0.0.2147483648').ok, false);
  });

  it('rejects values outside int32 or more than ten of them', () => {
    assert.equal(normalizedVersion('k', [INT32_MAX + 1]), undefined);
    assert.equal(normalizedVersion('k', [1.5]), undefined);
    assert.equal(normalizedVersion('k', new Array<number>(11).fill(0)), undefined);
  });

  it('compares kinds first, then values; ranges are half-open', () => {
    assert.equal(compareNormalized(nv('a', [9]), nv('b', [0])), -1);
    assert.equal(compareNormalized(nv('semver', [0, 1, 2]), nv('semver', [0, 1, 10])), -1);
    assert.equal(compareNormalized(nv('semver', [0, 1]), nv('semver', [0, 1])), 0);
    const r = { lower: nv('semver', [0, 1]), upper: nv('semver', [0, 2]) };
    assert.equal(normalizedRangeContains(r, nv('semver', [0, 1])), true);
    assert.equal(normalizedRangeContains(r, nv('semver', [0, 1, 99])), true);
    assert.equal(normalizedRangeContains(r, nv('semver', [0, 2])), false);
  });
});
