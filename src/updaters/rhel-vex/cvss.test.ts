import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cvssVectorProblem, type CvssVersion } from './cvss.js';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const VECTORS = resolve(REPO_ROOT, '..', 'shared', 'data', 'cvss-vectors');
const skip = existsSync(VECTORS) ? false : `shared data not found at ${VECTORS}: skipping claircore CVSS vector lists`;

/** claircore's `*.list` lines: `vector [score] [# comment]`, `#OK` marking valid lines of the error lists. */
function lines(file: string): Array<{ vector: string; ok: boolean }> {
  return readFileSync(resolve(VECTORS, file), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '' && !l.startsWith('#'))
    .map((l) => ({ vector: l.trim().split(/\s+/)[0]!, ok: !file.includes('error') || l.includes('#OK') }));
}

describe('cvssVectorProblem', () => {
  it('accepts the vectors Red Hat publishes', () => {
    assert.equal(cvssVectorProblem('v3', 'CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:N/I:N/A:H'), undefined);
    assert.equal(cvssVectorProblem('v3', 'CVSS:3.0/AV:N/AC:H/PR:N/UI:N/S:U/C:N/I:N/A:H'), undefined);
    assert.equal(cvssVectorProblem('v2', 'AV:N/AC:M/Au:N/C:P/I:P/A:P'), undefined);
    assert.equal(cvssVectorProblem('v4', 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N'), undefined);
  });

  it('rejects wrong prefixes, unknown values, repeats and missing metrics', () => {
    assert.match(cvssVectorProblem('v3', 'AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H') ?? '', /prefix/);
    assert.match(cvssVectorProblem('v3', 'CVSS:3.1/AV:X/AC:H/PR:H/UI:R/S:U/C:N/I:N/A:N') ?? '', /unknown value/);
    assert.match(cvssVectorProblem('v3', 'CVSS:3.1/AV:P/AC:H/PR:H/UI:R/S:U/C:N/I:N/A:N/AV:X') ?? '', /repeated/);
    assert.match(cvssVectorProblem('v3', 'CVSS:3.1/AV:P/AC:H/PR:H/UI:R/S:U/C:N/I:N') ?? '', /missing/);
    assert.match(cvssVectorProblem('v2', 'AV:A/AC:L/Au:N/A:C/I:C/C:C') ?? '', /order/);
    assert.match(cvssVectorProblem('v2', 'AV:A/AC:L/Au:N/C:C/I:C/A:C/E:F') ?? '', /group/);
  });

  const cases: Array<[CvssVersion, string]> = [
    ['v2', 'v2_error.list'], ['v2', 'v2_roundtrip.list'], ['v2', 'v2_score.list'],
    ['v3', 'v3_error.list'], ['v3', 'v3_roundtrip.list'], ['v3', 'v30_score.list'], ['v3', 'v31_score.list'],
    ['v4', 'v4_error.list'], ['v4', 'v4_roundtrip.list'], ['v4', 'v4_score.list'],
  ];
  for (const [version, file] of cases) {
    it(`agrees with claircore's ${file}`, { skip }, () => {
      for (const { vector, ok } of lines(file)) {
        const problem = cvssVectorProblem(version, vector);
        assert.equal(problem === undefined, ok, `${vector}: ${problem ?? 'accepted'}`);
      }
    });
  }
});
