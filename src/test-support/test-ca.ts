/**
 * @module A throw-away certificate authority for tests that put a TLS
 * terminating proxy in front of Clair: a CA certificate, and a server
 * certificate it signed for `localhost` and 127.0.0.1, made with the
 * `openssl` command (so nothing here is a crypto implementation of our own).
 *
 * Clients trust it by the CA file: a child `clair` through
 * NODE_EXTRA_CA_CERTS, the test process through {@link caFetch}.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Agent, fetch as undiciFetch } from 'undici';

export interface TestCa {
  /** The CA certificate (PEM file). */
  caFile: string;
  /** The server certificate (PEM file), for CN=localhost, SAN localhost and 127.0.0.1. */
  certFile: string;
  /** The server certificate's private key (PEM file). */
  keyFile: string;
  /** Certificate then key, in one PEM file (HAProxy's `crt`). */
  bundleFile: string;
}

/** Resolves `undefined` when the `openssl` command runs, else why it does not. */
export function opensslUnavailable(): string | undefined {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return undefined;
  } catch (err) {
    return `the openssl command is not available (${(err as Error).message})`;
  }
}

function openssl(args: string[]): void {
  execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

/** Makes a CA and a server certificate in `dir`, valid for a day. */
export function makeTestCa(dir: string): TestCa {
  const file = (name: string) => join(dir, name);
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl(['req', '-x509', ...ec, '-days', '1', '-subj', '/CN=clair test CA', '-keyout', file('ca.key'), '-out', file('ca.pem'),
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
  openssl(['req', '-new', ...ec, '-subj', '/CN=localhost', '-keyout', file('server.key'), '-out', file('server.csr')]);
  writeFileSync(file('server.ext'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n');
  openssl(['x509', '-req', '-in', file('server.csr'), '-CA', file('ca.pem'), '-CAkey', file('ca.key'), '-CAcreateserial', '-days', '1',
    '-extfile', file('server.ext'), '-out', file('server.pem')]);
  writeFileSync(file('server-bundle.pem'), readFileSync(file('server.pem'), 'utf8') + readFileSync(file('server.key'), 'utf8'));
  return { caFile: file('ca.pem'), certFile: file('server.pem'), keyFile: file('server.key'), bundleFile: file('server-bundle.pem') };
}

/** A `fetch` that trusts only `ca` for HTTPS; `close` ends its pooled connections. */
export function caFetch(ca: TestCa): { fetch: (url: string, init?: RequestInit) => Promise<Response>; close(): Promise<void> } {
  const agent = new Agent({ connect: { ca: readFileSync(ca.caFile, 'utf8') } });
  return {
    fetch: async (url, init = {}) => (await undiciFetch(url, { ...init, dispatcher: agent } as unknown as Parameters<typeof undiciFetch>[1])) as unknown as Response,
    close: () => agent.close(),
  };
}
