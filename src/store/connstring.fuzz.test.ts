/** Fuzzing the connstring parser from the forms Clair's configs use. */
import { describe, it } from 'node:test';
import { fuzz } from '../test-support/fuzz.js';
import { parseConnString, type DatabaseTarget } from './connstring.js';

/**
 * What a parsed target must hold for the store to use it as written. A
 * broken property is raised as a `TypeError`: the harness takes any ordinary
 * `Error` for a clear answer to bad input.
 */
function checkTarget(target: DatabaseTarget): void {
  if (target.kind !== 'postgres') return;
  const { port, connectionTimeoutMillis, max } = target.config;
  const fails: string[] = [];
  if (port !== undefined && !(Number.isInteger(port) && port >= 1 && port <= 65535)) fails.push(`port ${port}`);
  if (connectionTimeoutMillis !== undefined && !(Number.isFinite(connectionTimeoutMillis) && connectionTimeoutMillis >= 0)) fails.push(`connect timeout ${connectionTimeoutMillis} ms`);
  if (!(Number.isSafeInteger(max) && max! >= 1)) fails.push(`pool size ${max}`);
  if (fails.length > 0) throw new TypeError(`property violated: accepted with ${fails.join(', ')}`);
}

const SEEDS = [
  'host=clair-database user=clair dbname=indexer sslmode=disable',
  "host=db port=5432 dbname=clair_indexer user=clair password='p w\\'d' sslmode=verify-full pool_max_conns=20 connect_timeout=5",
  'postgresql://clair:secret@db:5433/matcher?sslmode=disable&pool_max_conns=4',
  'postgres://db/notifier?pool_min_conns=1&pool_max_conn_lifetime=1h',
  'embedded:///srv/clair?dbname=indexer',
  'embedded://?dbname=matcher',
  'memory://',
  '',
].map((s) => Buffer.from(s));

describe('connstring: fuzz', () => {
  it('answers every mutated connstring with a target or a clear error, never a crash or a hang', async () => {
    await fuzz({
      seeds: SEEDS,
      timeoutMs: 1_000,
      parse: (input) => checkTarget(parseConnString(input.toString('utf8'), '/var/lib/clair')),
    });
  });
});
