/**
 * @module The `auth` block (every mode): the pre-shared key that signs and
 * verifies intra-service requests. Upstream's `keyserver` is gone.
 */
import type { Problems } from '../schema.js';
import type { AuthConfig } from '../types.js';
import { list, obj, str, type LintCallback, type Obj } from './section.js';

/** Validates the decoded `auth` block `authx` (absent when the document has none). */
export function validateAuth(authx: Obj | undefined, problems: Problems, lint: LintCallback): AuthConfig {
  const auth: AuthConfig = {};
  if (authx !== undefined && Object.hasOwn(authx, 'keyserver')) {
    problems.add('auth.keyserver', 'quay keyserver support has been removed; use auth.psk');
  }
  const pskx = obj(authx, 'psk');
  if (pskx !== undefined) {
    const key = str(pskx, 'key') ?? '';
    const iss = list(pskx, 'iss') ?? [];
    if (!isStdBase64(key)) {
      problems.add('auth.psk.key', 'not valid standard base64 (RFC 4648 alphabet with "=" padding)');
    } else if (key === '' && !problems.has('auth.psk.key')) {
      lint('auth.psk.key', 'key is empty: requests are signed and verified with an empty HMAC key');
    }
    if (iss.length === 0 && !problems.has('auth.psk.iss')) {
      lint('auth.psk.iss', 'issuer list is empty: only Clair\'s own "clair-intraservice" tokens will be accepted');
    }
    auth.psk = { key, iss };
  }
  return auth;
}

/** Standard base64 with padding (Go's `base64.StdEncoding`, which skips CR and LF). */
export function isStdBase64(s: string): boolean {
  const t = s.replace(/[\r\n]/g, '');
  return /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(t);
}
