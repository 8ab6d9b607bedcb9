/**
 * @module The TLS client settings of `notifier.stomp.tls`, as upstream's
 * `config.TLS.Config()` builds them: the client certificate and key, the
 * `root_ca` file trusted *in addition to* the system roots, TLS 1.2 at least.
 */
import { readFileSync } from 'node:fs';
import { createSecureContext, rootCertificates, type SecureContext } from 'node:tls';
import type { TlsClientConfig } from '../../config/types.js';
import { clairError } from '../../lib/errors.js';

function readPem(path: string, key: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw clairError('CONFIG_INVALID', `notifier.stomp.tls.${key}: cannot read ${path}: ${(err as Error).message}`, { cause: err });
  }
}

/**
 * Reads the files once, when the deliverer is made, so that a bad file
 * fails the start (as upstream's `New` does) rather than every delivery;
 * building the context here also turns malformed PEM into that error
 * instead of a throw deep inside a connection attempt.
 */
export function stompSecureContext(config: TlsClientConfig): SecureContext {
  const options: Parameters<typeof createSecureContext>[0] = { minVersion: 'TLSv1.2' };
  if (config.root_ca) options.ca = [...rootCertificates, readPem(config.root_ca, 'root_ca')];
  if (config.cert) options.cert = readPem(config.cert, 'cert');
  if (config.key) options.key = readPem(config.key, 'key');
  try {
    return createSecureContext(options);
  } catch (err) {
    throw clairError('CONFIG_INVALID', `notifier.stomp.tls: unusable certificate, key or root_ca: ${(err as Error).message}`, { cause: err });
  }
}
