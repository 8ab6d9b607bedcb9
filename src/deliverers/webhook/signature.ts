/**
 * @module The `Clair-Signature` header (an extension; upstream has none):
 * lets a receiver check that a webhook request came from this notifier and
 * was not altered, without a JWT library. See docs/notifier.md#webhook.
 */
import { createHmac } from 'node:crypto';

export const SIGNATURE_HEADER = 'clair-signature';

/**
 * `t=<unix seconds>,v1=<lowercase hex HMAC-SHA256 of "<t>.<body>">`. The
 * time is inside the signed bytes so a receiver can refuse replays of an
 * old request.
 */
export function signatureValue(key: Uint8Array, body: Uint8Array, unixSeconds: number): string {
  const mac = createHmac('sha256', key).update(`${unixSeconds}.`).update(body).digest('hex');
  return `t=${unixSeconds},v1=${mac}`;
}
