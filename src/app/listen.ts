/** @module Go-style `host:port` listen addresses (`:6060` means every interface). */
import { clairError } from '../lib/errors.js';

export function listenAddress(addr: string): { host: string; port: number } {
  const match = /^(?:\[([^\]]*)\]|([^:]*)):(\d+)$/.exec(addr.trim());
  if (!match) throw clairError('CONFIG_INVALID', `listen address "${addr}" is not host:port`);
  const host = match[1] ?? match[2] ?? '';
  const port = Number(match[3]);
  if (port > 65535) throw clairError('CONFIG_INVALID', `listen address "${addr}" has port out of range`);
  return { host: host === '' ? '::' : host, port };
}
