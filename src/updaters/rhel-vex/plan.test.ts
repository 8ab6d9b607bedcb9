import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isClairError } from '../../lib/errors.js';
import { splitCsvLine } from './index-csv.js';
import { documentYear, planUpdates } from './plan.js';

const dir = await mkdtemp(join(tmpdir(), 'rhel-vex-plan-'));
after(() => rm(dir, { recursive: true, force: true }));

async function plan(changes: string, deletions: string, cutoff = '2023-12-11T00:00:00Z') {
  await writeFile(join(dir, 'changes.csv'), changes);
  await writeFile(join(dir, 'deletions.csv'), deletions);
  return planUpdates(join(dir, 'changes.csv'), join(dir, 'deletions.csv'), new Date(cutoff));
}

describe('splitCsvLine', () => {
  it('splits quoted and bare fields', () => {
    assert.deepEqual(splitCsvLine('"2023/cve-2023-0044.json","2023-12-12T00:00:00+00:00"'), ['2023/cve-2023-0044.json', '2023-12-12T00:00:00+00:00']);
    assert.deepEqual(splitCsvLine('a,"b ""c""",'), ['a', 'b "c"', '']);
    assert.equal(splitCsvLine('"open,x'), undefined);
    assert.equal(splitCsvLine('"a"b,c'), undefined);
  });
});

describe('planUpdates', () => {
  it('takes changes and deletions at or after the cut-off (claircore\'s server fixture)', async () => {
    const p = await plan(
      '"2023/cve-2023-0030.json","2023-12-10T00:00:00+00:00"\n"2023/cve-2023-0044.json","2023-12-12T00:00:00+00:00"\n"2023/cve-2023-0118.json","2023-12-12T00:00:00+00:00"\n',
      '"2023/cve-2024-0001.json","2023-12-10T00:00:00+00:00"\n"2023/cve-2024-0002.json","2023-12-12T00:00:00+00:00"\n',
    );
    assert.deepEqual(p, { changed: ['2023/cve-2023-0044.json', '2023/cve-2023-0118.json'], deleted: ['cve-2024-0002.json'] });
  });

  it('includes an entry exactly at the cut-off and skips years before 2015', async () => {
    const p = await plan('"2014/cve-2014-0001.json","2024-01-01T00:00:00Z"\r\n"2023/cve-2023-0001.json","2023-12-11T00:00:00Z"\r\n\r\n', '');
    assert.deepEqual(p.changed, ['2023/cve-2023-0001.json']);
  });

  it('lets the later of a change and a deletion win', async () => {
    const p = await plan(
      '"2023/cve-2023-0001.json","2023-12-20T00:00:00Z"\n"2023/cve-2023-0002.json","2023-12-12T00:00:00Z"\n"2023/cve-2023-0003.json","2023-12-13T00:00:00Z"\n',
      '"2023/cve-2023-0001.json","2023-12-15T00:00:00Z"\n"2023/cve-2023-0002.json","2023-12-14T00:00:00Z"\n"2023/cve-2023-0003.json","2023-12-13T00:00:00Z"\n',
    );
    assert.deepEqual(p, { changed: ['2023/cve-2023-0001.json'], deleted: ['cve-2023-0002.json', 'cve-2023-0003.json'] });
  });

  for (const [name, changes, deletions, pattern] of [
    ['a path that could leave the spool directory', '"2023/../../etc/passwd.json","2024-01-01T00:00:00Z"\n', '', /unexpected document path/],
    ['a record with one field', '"2023/cve-2023-0001.json"\n', '', /changes\.csv line 1: expected 2 CSV fields/],
    ['a bad time', '', '\n"2023/cve-2023-0001.json","yesterday"\n', /deletions\.csv line 2: "yesterday" is not an RFC 3339 time/],
  ] as const) {
    it(`fails on ${name}`, async () => {
      await assert.rejects(plan(changes, deletions), (err) => isClairError(err, 'UPDATER_PARSE') && pattern.test((err as Error).message));
    });
  }

  it('reads years from document paths only', () => {
    assert.equal(documentYear('2023/cve-2023-0001.json'), 2023);
    assert.equal(documentYear('cve-2023-0001.json'), undefined);
    assert.equal(documentYear('./2023/cve-2023-0001.json'), undefined);
  });
});
