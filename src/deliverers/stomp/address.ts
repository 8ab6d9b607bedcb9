/**
 * @module The brokers of `notifier.stomp.uris`: `host:port` strings (an IPv6
 * host in brackets), as upstream hands them to Go's dialer.
 */
import { clairError } from '../../lib/errors.js';

export interface BrokerAddress {
  host: string;
  port: number;
  /** `host:port` as configured: what errors and logs name. */
  display: string;
}

/** Parses one entry of `notifier.stomp.uris`; the config check has already refused bad ones. */
export function brokerAddress(uri: string, index: number): BrokerAddress {
  const colon = uri.lastIndexOf(':');
  const host = uri.slice(0, colon).replace(/^\[(.*)\]$/, '$1');
  const port = Number(uri.slice(colon + 1));
  if (colon <= 0 || host === '' || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw clairError('CONFIG_INVALID', `notifier.stomp.uris[${index}]: expected host:port, got ${JSON.stringify(uri)}`);
  }
  return { host, port, display: uri };
}
