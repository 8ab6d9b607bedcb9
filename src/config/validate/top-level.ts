/**
 * @module The top-level keys (every mode): listen addresses, log level,
 * `data_dir` and the server's `tls` block.
 */
import { statSync } from 'node:fs';
import { DEFAULTS } from '../defaults.js';
import type { Problems } from '../schema.js';
import type { Config, LogLevel, TlsConfig } from '../types.js';
import { checkHostPort } from './checks.js';
import { DEPRECATED, obj, str, type LintCallback, type Obj } from './section.js';

/** The part of {@link Config} that sits at the top level of the document. */
export type TopLevelConfig = Pick<Config, 'http_listen_addr' | 'introspection_addr' | 'log_level' | 'data_dir' | 'tls'>;

/**
 * Validates the top-level keys of the decoded document `doc`. These apply in
 * every mode, so there is no mode to scope by.
 *
 * @param checkFiles whether `tls.cert` and `tls.key` must exist on disk.
 */
export function validateTopLevel(doc: Obj, problems: Problems, lint: LintCallback, checkFiles: boolean): TopLevelConfig {
  const addr = (key: 'http_listen_addr' | 'introspection_addr'): string => {
    const given = str(doc, key);
    const value = given === undefined || given === '' ? DEFAULTS[key] : given;
    const bad = checkHostPort(value);
    if (bad !== undefined) problems.add(key, `invalid address ${JSON.stringify(value)}: ${bad}`);
    return value;
  };
  const http_listen_addr = addr('http_listen_addr');
  if ((str(doc, 'introspection_addr') ?? '') === '' && !problems.has('introspection_addr')) {
    lint('introspection_addr', 'introspection address not provided, default will be used');
  }
  const introspection_addr = addr('introspection_addr');
  const log_level = (str(doc, 'log_level') ?? DEFAULTS.log_level) as LogLevel;
  const data_dir = str(doc, 'data_dir') || DEFAULTS.data_dir;

  const top: TopLevelConfig = { http_listen_addr, introspection_addr, log_level, data_dir };
  const tls = serverTls(obj(doc, 'tls'), problems, lint, checkFiles);
  if (tls !== undefined) top.tls = tls;
  return top;
}

function serverTls(tlsDoc: Obj | undefined, problems: Problems, lint: LintCallback, checkFiles: boolean): TlsConfig | undefined {
  if (tlsDoc === undefined) return undefined;
  const cert = str(tlsDoc, 'cert') ?? '';
  const key = str(tlsDoc, 'key') ?? '';
  if (cert === '' || key === '') {
    problems.add('tls', 'cert and key must be given together');
  } else if (checkFiles) {
    for (const [k, file] of [['cert', cert], ['key', key]] as const) {
      if (!isFile(file)) problems.add(`tls.${k}`, `file ${JSON.stringify(file)} does not exist or is not a file`);
    }
  }
  const tls: TlsConfig = { cert, key };
  const rootCa = str(tlsDoc, 'root_ca');
  if (rootCa !== undefined && rootCa !== '') {
    tls.root_ca = rootCa;
    lint('tls.root_ca', `${DEPRECATED}: use the SSL_CERT_FILE or SSL_CERT_DIR environment variables`);
  }
  return tls;
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
