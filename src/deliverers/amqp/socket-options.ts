/**
 * @module The socket options of one connection attempt: the connect
 * deadline, the teardown signal, and for `amqps://` the client certificate
 * and extra root CA of `notifier.amqp.tls`.
 */
import { readFile } from 'node:fs/promises';
import { rootCertificates } from 'node:tls';
import type { SocketOptions } from 'amqplib';
import type { TlsClientConfig } from '../../config/types.js';

/** amqplib hands these to `net.connect`/`tls.connect`, which honour `signal` though amqplib's types omit it. */
export type AmqpSocketOptions = SocketOptions & { signal: AbortSignal };

/**
 * The options for connecting to `uri`. `timeoutMs` bounds the TCP connect,
 * TLS and AMQP handshakes (amqplib turns the socket timeout off once open).
 * The TLS files are read on each attempt, so renewed certificates are picked
 * up without a restart.
 */
export async function socketOptions(uri: URL, tls: TlsClientConfig | undefined, signal: AbortSignal, timeoutMs: number): Promise<AmqpSocketOptions> {
  const base: AmqpSocketOptions = { timeout: timeoutMs, signal };
  // Upstream hands its TLS config to every dial, but it only applies to amqps.
  if (uri.protocol !== 'amqps:' || tls === undefined) return base;
  const options: AmqpSocketOptions = { ...base, minVersion: 'TLSv1.2' }; // as upstream's config.TLS
  if (tls.cert) options.cert = await readFile(tls.cert);
  if (tls.key) options.key = await readFile(tls.key);
  // Upstream adds root_ca to the system pool rather than replacing it.
  if (tls.root_ca) options.ca = [...rootCertificates, await readFile(tls.root_ca, 'utf8')];
  return options;
}
