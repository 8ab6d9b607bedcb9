import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { isClairError } from '../../lib/errors.js';
import { collect } from '../../test-support/feed-server.js';
import { readSecdb, toSecdbPackage } from './secdb.js';
import { updaterContext } from '../../test-support/updater-context.js';

const testdata = (name: string): string => fileURLToPath(new URL(`testdata/${name}`, import.meta.url));

describe('secdb reader', async () => {
  const ctx = await updaterContext();
  after(() => ctx.cleanup());
  const write = async (name: string, text: string): Promise<string> => {
    const file = join(ctx.dir, name);
    await writeFile(file, text);
    return file;
  };

  it('streams package entries in document order, with secfixes as [fixed, ids] pairs', async () => {
    // Object property order: integer-like keys ("0") first, then insertion order.
    assert.deepEqual(await collect(readSecdb(testdata('v3.17-main.json'), 't')), [
      { name: 'openssl', secfixes: [['0', ['CVE-2022-3358']], ['3.0.7-r0', ['CVE-2022-3602', 'CVE-2022-3786']], ['1.1.1a-r0', ['CVE-2018-0734']]] },
      { name: 'xen', secfixes: [['4.16.2-r0', ['CVE-2022-33745 XSA-403']]] },
      { name: 'busybox', secfixes: [] },
      { name: 'heimdal', secfixes: [['7.7.1-r0', []]] },
    ]);
  });

  it('yields nothing for "packages": null, "" or a missing packages key', async () => {
    assert.deepEqual(await collect(readSecdb(testdata('v3.17-community.json'), 't')), []);
    assert.deepEqual(await collect(readSecdb(await write('empty.json', '{"reponame":"community","packages":""}'), 't')), []);
    assert.deepEqual(await collect(readSecdb(await write('none.json', '{"reponame":"community"}'), 't')), []);
  });

  it('reads "" as no ids and a bare string as one id', () => {
    assert.deepEqual(toSecdbPackage({ pkg: { name: 'a', secfixes: { '1-r0': '', '2-r0': 'CVE-1' } } }, 0), { name: 'a', secfixes: [['1-r0', []], ['2-r0', ['CVE-1']]] });
  });

  it('rejects malformed JSON with a catalogued parse error naming the component', async () => {
    const file = await write('bad.json', '{"packages": [{"pkg": {"name": "x", "secfixes": {');
    await assert.rejects(collect(readSecdb(file, 'alpine-main-v3.17-updater')), (err: unknown) => {
      assert.ok(isClairError(err, 'UPDATER_PARSE'));
      assert.match(err.message, /^alpine-main-v3\.17-updater: malformed secdb/);
      return true;
    });
    await assert.rejects(collect(readSecdb(await write('html.json', '<html>oops</html>'), 't')), (err: unknown) => isClairError(err, 'UPDATER_PARSE'));
  });

  it('rejects entries of the wrong shape', async () => {
    const file = await write('shape.json', '{"packages": [{"pkg": {"name": 7}}]}');
    await assert.rejects(collect(readSecdb(file, 't')), /packages\[0\]\.pkg\.name: expected a string/);
    const ids = await write('ids.json', '{"packages": [{"pkg": {"name": "a", "secfixes": {"1-r0": [1]}}}]}');
    await assert.rejects(collect(readSecdb(ids, 't')), /secfixes\["1-r0"\]\[0\]: expected a string id/);
  });

  it('rejects a missing file as a parse error', async () => {
    await assert.rejects(collect(readSecdb(join(ctx.dir, 'absent.json'), 't')), (err: unknown) => isClairError(err, 'UPDATER_PARSE'));
  });
});
