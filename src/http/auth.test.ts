import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SignJWT } from 'jose';
import { buildApiServer } from './server.js';
import { decodePskKey, INTRASERVICE_ISSUER, signToken } from './auth.js';
import type { IndexerService } from '../indexer/service.js';

const psk = { key: Buffer.from('a-secret-key-for-tests').toString('base64'), iss: ['quay', 'clairctl'] };
const key = decodePskKey(psk.key);
const indexer = { state: async () => 'state' } as unknown as IndexerService;
const STATE_URL = '/indexer/api/v1/index_state';

async function token(claims: { iss?: string; exp?: number; nbf?: number; iat?: number }, signingKey: Uint8Array = key, alg = 'HS256'): Promise<string> {
  const jwt = new SignJWT({}).setProtectedHeader({ alg });
  if (claims.iss !== undefined) jwt.setIssuer(claims.iss);
  if (claims.exp !== undefined) jwt.setExpirationTime(claims.exp);
  if (claims.nbf !== undefined) jwt.setNotBefore(claims.nbf);
  if (claims.iat !== undefined) jwt.setIssuedAt(claims.iat);
  return jwt.sign(signingKey);
}

describe('PSK JWT auth', async () => {
  const app = await buildApiServer({ services: { indexer }, psk });
  const now = Math.floor(Date.now() / 1000);
  const status = async (authorization?: string, url = STATE_URL) =>
    (await app.inject({ method: 'GET', url, headers: authorization ? { authorization } : {} })).statusCode;

  it('accepts tokens from configured issuers and the implicit intraservice issuer', async () => {
    assert.equal(await status(`Bearer ${await token({ iss: 'quay', exp: now + 60 })}`), 200);
    assert.equal(await status(`Bearer ${await token({ iss: 'clairctl' })}`), 200, 'exp, nbf and iat are optional');
    assert.equal(await status(`Bearer ${await signToken(key, INTRASERVICE_ISSUER)}`), 200);
    assert.equal(await status(`Bearer ${await token({ iss: 'quay' }, key, 'HS512')}`), 200);
  });

  it('allows 15 seconds of clock skew on exp, nbf and iat', async () => {
    assert.equal(await status(`Bearer ${await token({ iss: 'quay', exp: now - 5 })}`), 200);
    assert.equal(await status(`Bearer ${await token({ iss: 'quay', nbf: now + 5 })}`), 200);
    assert.equal(await status(`Bearer ${await token({ iss: 'quay', iat: now + 5 })}`), 200);
  });

  it('answers a bare 401 for missing, malformed, expired, early, foreign-issuer or wrongly signed tokens', async () => {
    const cases: Array<[string, string | undefined]> = [
      ['missing', undefined],
      ['not bearer', `Basic ${Buffer.from('a:b').toString('base64')}`],
      ['malformed', 'Bearer not.a.jwt'],
      ['expired', `Bearer ${await token({ iss: 'quay', exp: now - 60 })}`],
      ['not yet valid', `Bearer ${await token({ iss: 'quay', nbf: now + 60 })}`],
      ['issued in the future', `Bearer ${await token({ iss: 'quay', iat: now + 3600 })}`],
      ['unknown issuer', `Bearer ${await token({ iss: 'mallory' })}`],
      ['no issuer', `Bearer ${await token({})}`],
      ['wrong key', `Bearer ${await token({ iss: 'quay' }, new TextEncoder().encode('another key'))}`],
    ];
    for (const [name, header] of cases) {
      const response = await app.inject({ method: 'GET', url: STATE_URL, headers: header ? { authorization: header } : {} });
      assert.equal(response.statusCode, 401, name);
      assert.equal(response.body, '', `${name}: no body`);
    }
  });

  it('protects every route, including the OpenAPI document, but not robots.txt', async () => {
    assert.equal(await status(undefined, '/openapi/v1'), 401);
    assert.equal(await status(undefined, '/indexer/api/v1/index_report/sha256:' + 'a'.repeat(64)), 401);
    assert.equal(await status(undefined, '/no/such/route'), 401);
    assert.equal(await status(undefined, '/robots.txt'), 200);
  });

  it('leaves the API open when no PSK is configured', async () => {
    const open = await buildApiServer({ services: { indexer } });
    assert.equal((await open.inject({ method: 'GET', url: STATE_URL })).statusCode, 200);
  });

  it('signs tokens as upstream: HS256 with iss, iat, nbf a minute back and exp a minute ahead', async () => {
    const at = new Date('2026-01-01T00:00:00Z');
    const jwt = await signToken(key, 'clair-notifier', at);
    const [header, payload] = jwt.split('.').slice(0, 2).map((p) => JSON.parse(Buffer.from(p!, 'base64url').toString()));
    assert.deepEqual(header, { alg: 'HS256', typ: 'JWT' });
    const t = at.getTime() / 1000;
    assert.deepEqual(payload, { iss: 'clair-notifier', iat: t, nbf: t - 60, exp: t + 60 });
  });

  it('rejects a key that is not base64', () => {
    assert.throws(() => decodePskKey('not base64!'), /auth\.psk\.key: not valid standard base64/);
    assert.throws(() => decodePskKey(''), /auth\.psk\.key/);
  });
});
