/**
 * @module Pre-shared-key JWT auth, as Clair does it: HMAC-signed tokens in
 * `Authorization: Bearer`, `iss` from an allow-list that always includes
 * `clair-intraservice`, `exp`/`nbf`/`iat` checked when present with 15 s of
 * leeway. Any failure is a bare 401.
 */
import { jwtVerify, SignJWT } from 'jose';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { PskConfig } from '../config/types.js';
import { clairError } from '../lib/errors.js';

/** Issuer of node-to-node calls; always accepted. */
export const INTRASERVICE_ISSUER = 'clair-intraservice';
/** Issuer of webhook deliveries. */
export const NOTIFIER_ISSUER = 'clair-notifier';
/** Allowed clock skew, in seconds. */
export const CLOCK_SKEW_SECONDS = 15;
const ALGORITHMS = ['HS256', 'HS384', 'HS512'];

/** Decodes the configured key: standard base64, as upstream reads it. */
export function decodePskKey(key: string): Uint8Array {
  const bytes = Buffer.from(key, 'base64');
  if (key.trim() === '' || bytes.length === 0 || bytes.toString('base64').replace(/=+$/, '') !== key.trim().replace(/=+$/, '')) {
    throw clairError('CONFIG_INVALID', 'auth.psk.key: not valid standard base64');
  }
  return new Uint8Array(bytes);
}

export interface Verifier {
  /** Resolves true when the request carries a valid token. */
  verify(authorization: string | undefined): Promise<boolean>;
}

export function pskVerifier(psk: PskConfig): Verifier {
  const key = decodePskKey(psk.key);
  const issuers = [...new Set([...psk.iss, INTRASERVICE_ISSUER])];
  return {
    async verify(authorization) {
      const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
      if (!match) return false;
      try {
        const { payload } = await jwtVerify(match[1]!, key, { issuer: issuers, algorithms: ALGORITHMS, clockTolerance: CLOCK_SKEW_SECONDS });
        // jose checks iat only against a maximum age; a token issued in the future is refused here.
        if (payload.iat !== undefined && payload.iat > Date.now() / 1000 + CLOCK_SKEW_SECONDS) return false;
        return true;
      } catch {
        return false;
      }
    },
  };
}

/** Signs a short-lived token, as upstream's signer: nbf one minute back, exp one minute ahead. */
export async function signToken(key: Uint8Array, issuer: string, now = new Date()): Promise<string> {
  const seconds = Math.floor(now.getTime() / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer(issuer)
    .setIssuedAt(seconds)
    .setNotBefore(seconds - 60)
    .setExpirationTime(seconds + 60)
    .sign(key);
}

/** Paths never authenticated. */
const OPEN_PATHS = new Set(['/robots.txt']);

/** Requires a valid token on every route except `/robots.txt`. */
export function registerAuth(app: FastifyInstance, verifier: Verifier): void {
  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    if (OPEN_PATHS.has(request.url.split('?')[0]!)) return;
    if (await verifier.verify(request.headers.authorization)) return;
    await reply.code(401).send();
  });
}
