/**
 * @module Connection strings. A service's `connstring` selects its database:
 *
 * - empty: the embedded database (PGlite) in `data_dir`;
 * - `memory://`: an embedded database that lives only as long as the process;
 * - `pglite://<dir>` or `file://<dir>`: an embedded database in `<dir>`;
 * - `postgres://…` / `postgresql://…` URLs, or a libpq `key=value` DSN:
 *   PostgreSQL through `pg`.
 *
 * pgx pool parameters (`pool_max_conns`) are accepted in both PostgreSQL forms,
 * as upstream Clair documents them for sizing the pool.
 */
import { resolve } from 'node:path';
import type { PoolConfig } from 'pg';
import { clairError } from '../lib/errors.js';

export type DatabaseTarget =
  | { kind: 'postgres'; config: PoolConfig; /** For logs: the target without secrets. */ display: string }
  | { kind: 'embedded'; /** Absolute directory, or `undefined` for in-memory. */ dir: string | undefined; display: string };

/** Default pool size when the connstring does not set `pool_max_conns`. */
export const DEFAULT_POOL_MAX = 10;

/** Parses a connstring into a database target. `dataDir` is used when it is empty. */
export function parseConnString(connstring: string, dataDir: string): DatabaseTarget {
  const text = connstring.trim();
  if (text === '') {
    const dir = resolve(dataDir);
    return { kind: 'embedded', dir, display: `embedded:${dir}` };
  }
  if (text === 'memory://' || text === 'pglite://memory') {
    return { kind: 'embedded', dir: undefined, display: 'embedded:memory' };
  }
  for (const prefix of ['pglite://', 'file://']) {
    if (text.startsWith(prefix)) {
      const rest = text.slice(prefix.length);
      if (rest === '') throw clairError('CONFIG_INVALID', `connstring: ${prefix} needs a directory`);
      const dir = resolve(decodeURIComponent(rest));
      return { kind: 'embedded', dir, display: `embedded:${dir}` };
    }
  }
  // Upstream treats only URL-looking strings without `=` as URLs (pgx rules).
  if (/^postgres(ql)?:\/\//.test(text)) return parsePostgresUrl(text);
  return parseDsn(text);
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
        config.port = Number.parseInt(value, 10);
        if (!Number.isInteger(config.port)) throw clairError('CONFIG_INVALID', `connstring: port "${value}" is not a number`);
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
        config.connectionTimeoutMillis = Number.parseInt(value, 10) * 1000;
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
