/**
 * Fuzzing PSK JWT verification through the API server: mutated tokens (and
 * mutated whole Authorization headers) must get a bare 401, never a 5xx, a
 * crash or a hang.
 */
import { describe, it } from 'node:test';
import { createHmac } from 'node:crypto';
import { SignJWT } from 'jose';
import { fuzz } from '../test-support/fuzz.js';
import { buildApiServer } from './server.js';
import { decodePskKey, INTRASERVICE_ISSUER, signToken } from './auth.js';
import type { IndexerService } from '../indexer/service.js';

/**
 * Checks the property. The harness takes any ordinary `Error` (an
 * `AssertionError` too) for a clear answer to bad input, so a broken
 * property is raised as a `TypeError`, which fails the run.
 */
function holds(condition: unknown, message: string): asserts condition {
  if (!condition) throw new TypeError(`property violated: ${message}`);
}

const psk = { key: Buffer.from('a-secret-key-for-fuzzing').toString('base64'), iss: ['quay', 'clairctl'] };
const key = decodePskKey(psk.key);
const indexer = { state: async () => 'state' } as unknown as IndexerService;
const STATE_URL = '/indexer/api/v1/index_state';

async function seeds(): Promise<Buffer[]> {
  const now = Math.floor(Date.now() / 1000);
  const tokens = [
    await signToken(key, INTRASERVICE_ISSUER),
    await new SignJWT({ sub: 'someone', aud: ['a', 'b'] }).setProtectedHeader({ alg: 'HS512', typ: 'JWT', kid: 'k1' }).setIssuer('quay').setExpirationTime(now + 600).setNotBefore(now - 10).sign(key),
    await new SignJWT({}).setProtectedHeader({ alg: 'HS384' }).setIssuer('clairctl').sign(key),
    // A token that is not ours: wrong key, so it must be refused even unmutated.
    await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setIssuer('quay').sign(new TextEncoder().encode('another key')),
  ];
  return tokens.map((t) => Buffer.from(`Bearer ${t}`));
}

describe('PSK JWT auth: fuzz', async () => {
  const app = await buildApiServer({ services: { indexer }, psk });

  it('answers every mutated Authorization header with 200 or a bare 401, never a 5xx, a crash or a hang', async () => {
    await fuzz({
      seeds: await seeds(),
      timeoutMs: 2_000,
      parse: async (input) => {
        // Header values cannot hold CR, LF or NUL; the HTTP parser refuses those before us.
        const header = input.toString('latin1').replace(/[\r\n\0]/g, ' ');
        const r = await app.inject({ method: 'GET', url: STATE_URL, headers: { authorization: header } });
        holds(r.statusCode === 200 || r.statusCode === 401, `status ${r.statusCode}: ${r.body}`);
        if (r.statusCode === 401) holds(r.body === '', 'a refusal has no body');
      },
    });
  });

  it('answers every mutated token, decoded and re-encoded, with 200 or a bare 401', async () => {
    // Mutating the JSON inside a token reaches the claim checks behind the base64url layer.
    const parts = (await seeds()).slice(0, 3).map((b) => b.toString().slice('Bearer '.length).split('.'));
    const json = parts.map(([h, p]) => Buffer.from(`${Buffer.from(h!, 'base64url').toString()}\n${Buffer.from(p!, 'base64url').toString()}`));
    await fuzz({
      seeds: json,
      timeoutMs: 2_000,
      parse: async (input) => {
        const [header = '', payload = ''] = input.toString('utf8').split('\n');
        const unsigned = `${Buffer.from(header).toString('base64url')}.${Buffer.from(payload).toString('base64url')}`;
        // Signed with the right key, so a mangled header or payload is what is judged, not the signature.
        const signature = createHmac('sha256', key).update(unsigned).digest('base64url');
        const r = await app.inject({ method: 'GET', url: STATE_URL, headers: { authorization: `Bearer ${unsigned}.${signature}` } });
        holds(r.statusCode === 200 || r.statusCode === 401, `status ${r.statusCode}: ${r.body}`);
      },
    });
  });
});
