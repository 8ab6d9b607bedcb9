import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SHARED_DATA, sharedDataSkip } from '../../test-support/updater-context.js';
import { checkCvssData, newTally } from './feed.js';
import { formatVector, parseVector, scoreVector, severityOf, type CvssVersion } from './vector.js';

/** `vector [score] # comment` lines of one of claircore's lists. */
function list(name: string): Array<{ vector: string; score: string | undefined; ok: boolean; line: string }> {
  return readFileSync(join(SHARED_DATA, 'cvss-vectors', name), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.startsWith('#'))
    .map((line) => {
      const [vector, score] = line.replace(/#.*/, '').trim().split(/\s+/) as [string, string | undefined];
      return { vector, score, ok: /#\s*OK/.test(line), line };
    });
}

const CASES = sharedDataSkip('cvss-vectors');
const VERSION_OF: Record<string, CvssVersion[]> = { 'v2_error.list': ['2.0'], 'v3_error.list': ['3.0', '3.1'], 'v4_error.list': ['4.0'] };

/**
 * CVSS v2 environmental scores where the library's floating point rounds
 * 9.15 and 7.45 down (FIRST's formula rounds half up). Base scores, the only
 * v2 scores the enricher could use, are unaffected.
 */
const LIBRARY_V2_ENVIRONMENTAL_ROUNDING: Record<string, number> = {
  'AV:N/AC:L/Au:N/C:N/I:N/A:C/E:F/RL:OF/RC:C/CDP:H/TD:H/CR:M/IR:M/AR:H': 9.1,
  'AV:L/AC:H/Au:N/C:C/I:C/A:C/E:POC/RL:OF/RC:C/CDP:H/TD:H/CR:M/IR:M/AR:M': 7.4,
};

describe('CVSS vectors against claircore\'s test lists', { skip: CASES }, () => {
  for (const name of ['v2_error.list', 'v3_error.list', 'v4_error.list']) {
    it(`accepts exactly the #OK lines of ${name}`, () => {
      for (const { vector, ok, line } of list(name)) {
        const parsed = parseVector(vector);
        const accepted = parsed.ok && VERSION_OF[name]!.includes(parsed.vector.version);
        assert.equal(accepted, ok, `${line} → ${JSON.stringify(parsed.ok ? 'accepted' : parsed.reason)}`);
      }
    });
  }

  for (const name of ['v2_roundtrip.list', 'v3_roundtrip.list', 'v4_roundtrip.list']) {
    it(`writes every vector of ${name} back as it was`, () => {
      for (const { vector } of list(name)) {
        const parsed = parseVector(vector);
        assert.ok(parsed.ok, `${vector}: ${parsed.ok ? '' : parsed.reason}`);
        assert.equal(formatVector(parsed.vector), vector);
      }
    });
  }

  for (const name of ['v2_score.list', 'v30_score.list', 'v31_score.list', 'v4_score.list']) {
    it(`scores every vector of ${name} as listed`, () => {
      const lines = list(name);
      assert.ok(lines.length >= 10, `${name} has ${lines.length} vectors`);
      for (const { vector, score } of lines) {
        const parsed = parseVector(vector);
        assert.ok(parsed.ok, `${vector}: ${parsed.ok ? '' : parsed.reason}`);
        const want = LIBRARY_V2_ENVIRONMENTAL_ROUNDING[vector] ?? Number(score);
        assert.equal(scoreVector(parsed.vector).overall, want, vector);
      }
    });
  }
});

describe('CVSS vectors', () => {
  it('names what is wrong with a vector', () => {
    const reason = (v: string) => {
      const r = parseVector(v);
      return r.ok ? 'ok' : r.reason;
    };
    assert.equal(reason('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H'), 'missing metric A');
    assert.equal(reason('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:X'), 'metric A cannot be "X" (one of H, L, N)');
    assert.equal(reason('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/A:H'), 'metric A repeated');
    assert.equal(reason('CVSS:3.2/AV:N'), 'unsupported CVSS version 3.2');
    assert.equal(reason('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/U:Red/E:A'), 'metric E out of order');
    assert.equal(reason('AV:N/AC:L/Au:N/C:N/I:N/A:C/E:F'), 'incomplete temporal group: expected RL');
    assert.equal(reason(''), 'empty vector');
  });

  it('accepts v3 metrics in any order, as the specification requires of readers', () => {
    const parsed = parseVector('CVSS:3.1/A:H/I:H/C:H/S:U/UI:N/PR:N/AC:L/AV:N/E:P');
    assert.ok(parsed.ok);
    assert.deepEqual(scoreVector(parsed.vector), { base: 9.8, overall: 9.3 });
  });

  it('rates scores in FIRST\'s bands', () => {
    assert.deepEqual([0, 0.1, 3.9, 4, 6.9, 7, 8.9, 9, 10].map((s) => severityOf('3.1', s)), ['NONE', 'LOW', 'LOW', 'MEDIUM', 'MEDIUM', 'HIGH', 'HIGH', 'CRITICAL', 'CRITICAL']);
    assert.deepEqual([3.9, 4, 7].map((s) => severityOf('2.0', s)), ['LOW', 'MEDIUM', 'HIGH']);
  });

  it('checks NVD\'s cvssData: fills a missing score from the vector, keeps NVD\'s own, refuses a bad vector', () => {
    const tally = newTally();
    assert.deepEqual(checkCvssData({ version: '3.1', vectorString: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N' }, tally), {
      version: '3.1', vectorString: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N', baseScore: 7.5, baseSeverity: 'HIGH',
    });
    const odd = { version: '3.1', vectorString: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N', baseScore: 7.4, baseSeverity: 'HIGH' };
    assert.equal(checkCvssData(odd, tally), odd);
    assert.equal(tally.scoreMismatches, 1);
    assert.equal(checkCvssData({ version: '3.0', vectorString: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N', baseScore: 7.5 }, tally), 'vector "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N" is CVSS 3.1, not 3.0');
    assert.equal(checkCvssData({ version: '3.1', baseScore: 7.5 }, tally), 'no vectorString');
  });
});
