import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { parseConnString, parseDsnPairs } from './connstring.js';
import { isClairError } from '../lib/errors.js';

describe('parseConnString', () => {
  it('uses database clair on the embedded server of data_dir when empty', () => {
    assert.deepEqual(parseConnString('  ', 'var/clair'), { kind: 'embedded', dir: resolve('var/clair'), database: 'clair', dropOnClose: false, display: `embedded:${resolve('var/clair')}` });
  });

  it('accepts the embedded forms: another database, another directory, a throw-away one', () => {
    assert.deepEqual(parseConnString('embedded://?dbname=indexer', 'var/clair'), { kind: 'embedded', dir: resolve('var/clair'), database: 'indexer', dropOnClose: false, display: `embedded:${resolve('var/clair')}/indexer` });
    assert.deepEqual(parseConnString('embedded:///srv/clair', 'x'), { kind: 'embedded', dir: '/srv/clair', database: 'clair', dropOnClose: false, display: 'embedded:/srv/clair' });
    const memory = parseConnString('memory://', 'x');
    assert.ok(memory.kind === 'embedded' && memory.dir === undefined && memory.dropOnClose && /^clair_[0-9a-f]{12}$/.test(memory.database));
  });

  it('parses a libpq DSN as in the upstream examples', () => {
    const target = parseConnString("host=clair-database user=clair dbname=indexer sslmode=disable password='p w\\'d' pool_max_conns=20", 'x');
    assert.equal(target.kind, 'postgres');
    if (target.kind !== 'postgres') return;
    assert.deepEqual(target.config, { max: 20, host: 'clair-database', user: 'clair', database: 'indexer', ssl: false, password: "p w'd" });
    assert.doesNotMatch(target.display, /p w/);
  });

  it('parses URLs and strips pgx pool parameters', () => {
    const target = parseConnString('postgresql://clair:secret@db:5433/matcher?sslmode=disable&pool_max_conns=4', 'x');
    assert.equal(target.kind, 'postgres');
    if (target.kind !== 'postgres') return;
    assert.equal(target.config.max, 4);
    assert.equal(target.config.connectionString, 'postgresql://clair:secret@db:5433/matcher?sslmode=disable');
    assert.equal(target.display, 'postgresql://clair:redacted@db:5433/matcher?sslmode=disable');
  });

  it('rejects malformed strings with a clear reason', () => {
    for (const [text, reason] of [
      ['host', /missing "=" after "host"/],
      ["password='open", /unterminated quoted value/],
      ['port=abc', /port "abc" is not a number/],
      // Found by fuzzing: these were read as NaN, 0 or a prefix and failed only at connect time, or never.
      ['host=db connect_timeout=', /connect_timeout "" is not a whole number of seconds/],
      ['host=db connect_timeout=5s', /connect_timeout "5s" is not a whole number of seconds/],
      ['host=db port=0', /port "0" is not a number from 1 to 65535/],
      ['host=db port=99999', /port "99999" is not a number from 1 to 65535/],
      ['host=db port=5432abc', /port "5432abc" is not a number from 1 to 65535/],
      ['sslmode=sometimes', /unknown sslmode "sometimes"/],
      ['host=x pool_max_conns=0', /pool_max_conns "0" must be a positive integer/],
      ['pglite:///srv/clair', /pglite:\/\/ is no longer supported/],
      ['file://./data', /file:\/\/ is no longer supported/],
      ['embedded://db-host/x', /not a host/],
      ['embedded://?dbname=x&sslmode=disable', /takes only dbname/],
    ] as const) {
      assert.throws(() => parseConnString(text, 'x'), (err) => isClairError(err, 'CONFIG_INVALID') && reason.test((err as Error).message), text);
    }
  });

  it('splits DSN pairs with spaces around "="', () => {
    assert.deepEqual([...parseDsnPairs(" host = a  port=5 application_name='x y' ")], [['host', 'a'], ['port', '5'], ['application_name', 'x y']]);
  });
});
