/**
 * @module Value checks shared by several sections: listen addresses, service
 * URLs and database connection strings. Each returns or records the reason a
 * value is bad, worded as in upstream where upstream has a check.
 */
import type { Mode } from '../types.js';
import type { Problems } from '../schema.js';
import type { LintCallback } from './section.js';
import { parseConnString } from '../../store/connstring.js';

/** What a connection-string check needs to know besides the value. */
export interface ConnStringContext {
  /** The effective `data_dir`, named by the empty-connstring lint. */
  dataDir: string;
  /** Environment consulted for `PG*` variables (mentioned by the same lint). */
  env: Readonly<Record<string, string | undefined>>;
}

/**
 * Checks `host:port` the way Go's `net.SplitHostPort` does, and additionally
 * requires a numeric port (Node cannot listen on a service name).
 * Returns the reason it is bad, or `undefined` when it is fine.
 */
export function checkHostPort(addr: string): string | undefined {
  let host: string;
  let port: string;
  if (addr.startsWith('[')) {
    const end = addr.indexOf(']');
    if (end < 0) return 'missing "]" in address';
    if (addr[end + 1] !== ':') return end + 1 === addr.length ? 'missing port in address' : 'unexpected text after "]"';
    host = addr.slice(1, end);
    port = addr.slice(end + 2);
    if (!host.includes(':')) return 'brackets are only for IPv6 addresses';
  } else {
    const colon = addr.lastIndexOf(':');
    if (colon < 0) return 'missing port in address';
    host = addr.slice(0, colon);
    port = addr.slice(colon + 1);
    if (host.includes(':')) return 'too many colons in address (put IPv6 hosts in brackets)';
  }
  if (!/^[0-9]{1,5}$/.test(port) || Number(port) > 65535) return 'port must be a number from 0 to 65535';
  return undefined;
}

/** Returns the reason `s` is not an absolute http(s) URL, or `undefined`. */
export function checkHttpUrl(s: string): string | undefined {
  let u: URL;
  try {
    u = new URL(s);
  } catch {
    return 'not a valid URL';
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return `scheme must be http or https, not ${JSON.stringify(u.protocol.slice(0, -1))}`;
  if (u.hostname === '') return 'URL has no host';
  return undefined;
}

/**
 * Requires `value` to be an absolute http(s) URL, as a service that runs
 * alone in `mode` needs the address of its peers. Skipped when decoding
 * already reported a problem at `path`.
 */
export function requiredUrl(path: string, value: string, mode: Mode, problems: Problems): void {
  if (problems.has(path)) return;
  if (value === '') {
    problems.add(path, `required in ${mode} mode (an absolute http(s) URL)`);
    return;
  }
  const bad = checkHttpUrl(value);
  if (bad !== undefined) problems.add(path, `must be an absolute http(s) URL, got ${JSON.stringify(value)}: ${bad}`);
}

/**
 * Connection-string checks, after upstream's `checkPostgresqlDSN` but adapted
 * to what our store accepts (see docs/config.md): an empty value selects the
 * embedded database (a lint, as upstream lints an empty value); a string our
 * store cannot open is an error here rather than a failure at first connect.
 * The value itself is never echoed: it may hold a password.
 */
export function checkConnString(path: string, value: string, context: ConnStringContext, lint: LintCallback, problems: Problems): void {
  const text = value.trim();
  if (text === '') {
    const pg = Object.keys(context.env).filter((k) => k.startsWith('PG')).sort();
    const note = pg.length === 0 ? '' : ` (the ${pg.join(', ')} environment variables are not used for an empty connstring)`;
    lint(path, `connection string is empty: the embedded database under data_dir ${JSON.stringify(context.dataDir)} will be used${note}`);
    return;
  }
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(text)?.[1];
  if (scheme !== undefined && /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(text) && !['postgres', 'postgresql', 'memory', 'embedded', 'pglite', 'file'].includes(scheme)) {
    problems.add(path, `unrecognized URL scheme ${JSON.stringify(scheme)}: use postgres://, postgresql://, embedded:// or memory://, or a key=value DSN`);
    return;
  }
  if (scheme !== 'embedded' && !text.includes('://') && !text.includes('=')) {
    problems.add(path, 'unable to make sense of connection string: expected a URL or a libpq key=value DSN');
    return;
  }
  // The store's own parser decides the rest, so validation and opening agree.
  try {
    parseConnString(text, context.dataDir);
  } catch (err) {
    problems.add(path, (err as Error).message.replace(/^connstring: /, ''));
  }
}
