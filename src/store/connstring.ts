/**
 * @module Connection strings. A service's `connstring` selects its database:
 *
 * - empty: database `clair` on the embedded PostgreSQL server in `data_dir`;
 * - `embedded://?dbname=<name>`: another database on that server (combo
 *   mode's node types may each have their own);
 * - `embedded:///<dir>[?dbname=<name>]`: the embedded server of `<dir>`;
 * - `memory://`: a throw-away database on a throw-away embedded server,
 *   gone when it is closed;
 * - `postgres://…` / `postgresql://…` URLs, or a libpq `key=value` DSN:
 *   an external PostgreSQL through `pg`.
 *
 * pgx pool parameters (`pool_max_conns`) are accepted in both PostgreSQL forms,
 * as upstream Clair documents them for sizing the pool.
 */
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import type { PoolConfig } from 'pg';
import { clairError } from '../lib/errors.js';

export type DatabaseTarget =
  | { kind: 'postgres'; config: PoolConfig; /** For logs: the target without secrets. */ display: string }
  | {
      kind: 'embedded';
      /** Absolute data directory, or `undefined` for the throw-away server. */
      dir: string | undefined;
      database: string;
      /** A throw-away database, dropped when closed. */
      dropOnClose: boolean;
      display: string;
    };

/** The embedded server's database when the connstring names none. */
export const EMBEDDED_DATABASE = 'clair';

/** Default pool size when the connstring does not set `pool_max_conns`. */
export const DEFAULT_POOL_MAX = 10;

/** Parses a connstring into a database target. `dataDir` is used when it is empty. */
export function parseConnString(connstring: string, dataDir: string): DatabaseTarget {
  const text = connstring.trim();
  if (text === '') {
    const dir = resolve(dataDir);
    return { kind: 'embedded', dir, database: EMBEDDED_DATABASE, dropOnClose: false, display: `embedded:${dir}` };
  }
  if (text === 'memory://') {
    const database = `clair_${randomBytes(6).toString('hex')}`;
    return { kind: 'embedded', dir: undefined, database, dropOnClose: true, display: `embedded:memory/${database}` };
  }
  if (text.startsWith('embedded:')) return parseEmbedded(text, dataDir);
  for (const gone of ['pglite://', 'file://']) {
    if (text.startsWith(gone)) {
      throw clairError('CONFIG_INVALID', `connstring: ${gone} is no longer supported: the embedded store is a PostgreSQL server now (its data is not compatible with the old PGlite store); use embedded:///<dir>, or leave the connstring empty for data_dir`);
    }
  }
  // Upstream treats only URL-looking strings without `=` as URLs (pgx rules).
  if (/^postgres(ql)?:\/\//.test(text)) return parsePostgresUrl(text);
  return parseDsn(text);
}

/** `embedded:`, `embedded://?dbname=x`, `embedded:///dir`, `embedded:///dir?dbname=x`. */
function parseEmbedded(text: string, dataDir: string): DatabaseTarget {
  let url: URL;
  try {
    url = new URL(text);
  } catch (cause) {
    throw clairError('CONFIG_INVALID', 'connstring: not a valid embedded:// URL', { cause });
  }
  if (url.host !== '') throw clairError('CONFIG_INVALID', `connstring: embedded:// names a directory as embedded:///<absolute path>, not a host (${JSON.stringify(url.host)})`);
  const dir = resolve(url.pathname === '' || url.pathname === '/' ? dataDir : decodeURIComponent(url.pathname));
  const database = url.searchParams.get('dbname') ?? EMBEDDED_DATABASE;
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(database)) throw clairError('CONFIG_INVALID', `connstring: dbname ${JSON.stringify(database)} must be a plain identifier (letters, digits, _)`);
  const unknown = [...url.searchParams.keys()].filter((k) => k !== 'dbname');
  if (unknown.length > 0) throw clairError('CONFIG_INVALID', `connstring: embedded:// takes only dbname, not ${unknown.join(', ')}`);
  return { kind: 'embedded', dir, database, dropOnClose: false, display: `embedded:${dir}${database === EMBEDDED_DATABASE ? '' : `/${database}`}` };
}

function parsePostgresUrl(text: string): DatabaseTarget {
  let url: URL;
  try {
    url = new URL(text);
  } catch (cause) {
    throw clairError('CONFIG_INVALID', 'connstring: not a valid postgres URL', { cause });
  }
  const poolMax = takePoolMax(url.searchParams.get('pool_max_conns'));
  url.searchParams.delete('pool_max_conns');
  for (const pgxOnly of ['pool_min_conns', 'pool_max_conn_lifetime', 'pool_max_conn_idle_time', 'pool_health_check_period']) {
    url.searchParams.delete(pgxOnly);
  }
  const display = redactUrl(url);
  return { kind: 'postgres', config: { connectionString: url.toString(), max: poolMax }, display };
}

/** Parses a libpq `key=value` DSN (values may be single-quoted, `\` escapes). */
export function parseDsnPairs(text: string): Map<string, string> {
  const pairs = new Map<string, string>();
  let i = 0;
  const n = text.length;
  const skipSpace = (): void => {
    while (i < n && /\s/.test(text[i]!)) i++;
  };
  while (true) {
    skipSpace();
    if (i >= n) break;
    const keyStart = i;
    while (i < n && text[i] !== '=' && !/\s/.test(text[i]!)) i++;
    const key = text.slice(keyStart, i);
    skipSpace();
    if (text[i] !== '=') throw clairError('CONFIG_INVALID', `connstring: missing "=" after "${key}"`);
    i++;
    skipSpace();
    let value = '';
    if (text[i] === "'") {
      i++;
      let closed = false;
      while (i < n) {
        const c = text[i]!;
        if (c === '\\' && i + 1 < n) {
          value += text[i + 1];
          i += 2;
        } else if (c === "'") {
          i++;
          closed = true;
          break;
        } else {
          value += c;
          i++;
        }
      }
      if (!closed) throw clairError('CONFIG_INVALID', `connstring: unterminated quoted value for "${key}"`);
    } else {
      while (i < n && !/\s/.test(text[i]!)) {
        if (text[i] === '\\' && i + 1 < n) i++;
        value += text[i];
        i++;
      }
    }
    if (key === '') throw clairError('CONFIG_INVALID', 'connstring: empty key');
    pairs.set(key, value);
  }
  return pairs;
}

function parseDsn(text: string): DatabaseTarget {
  const pairs = parseDsnPairs(text);
  if (pairs.size === 0) throw clairError('CONFIG_INVALID', 'connstring: no key=value pairs');
  const config: PoolConfig = { max: takePoolMax(pairs.get('pool_max_conns') ?? null) };
  for (const [key, value] of pairs) {
    switch (key) {
      case 'host':
        config.host = value;
        break;
      case 'hostaddr':
        config.host ??= value;
        break;
      case 'port':
        config.port = Number(value);
        if (!/^\d{1,5}$/.test(value) || config.port < 1 || config.port > 65535) throw clairError('CONFIG_INVALID', `connstring: port "${value}" is not a number from 1 to 65535`);
        break;
      case 'user':
        config.user = value;
        break;
      case 'password':
        config.password = value;
        break;
      case 'dbname':
        config.database = value;
        break;
      case 'application_name':
        config.application_name = value;
        break;
      case 'connect_timeout':
        if (!/^\d{1,9}$/.test(value)) throw clairError('CONFIG_INVALID', `connstring: connect_timeout "${value}" is not a whole number of seconds`);
        config.connectionTimeoutMillis = Number(value) * 1000;
        break;
      case 'sslmode':
        config.ssl = sslFor(value);
        break;
      default:
        // Other libpq and pgx keys (pool_*, sslcert, …) do not apply to `pg` or
        // are handled above; they are accepted so existing configs keep working.
        break;
    }
  }
  const shown = [...pairs].map(([k, v]) => (k === 'password' ? `${k}=<redacted>` : `${k}=${v}`)).join(' ');
  return { kind: 'postgres', config, display: shown };
}

function sslFor(mode: string): PoolConfig['ssl'] {
  switch (mode) {
    case 'disable':
    case 'allow':
    case 'prefer':
      return false;
    case 'require':
      return { rejectUnauthorized: false };
    case 'verify-ca':
    case 'verify-full':
      return { rejectUnauthorized: true };
    default:
      throw clairError('CONFIG_INVALID', `connstring: unknown sslmode "${mode}"`);
  }
}

function takePoolMax(value: string | null): number {
  if (value === null) return DEFAULT_POOL_MAX;
  const n = Number.parseInt(value, 10);
  if (!Number.isInteger(n) || n < 1) throw clairError('CONFIG_INVALID', `connstring: pool_max_conns "${value}" must be a positive integer`);
  return n;
}

function redactUrl(url: URL): string {
  const copy = new URL(url.toString());
  if (copy.password) copy.password = 'redacted';
  return copy.toString();
}
