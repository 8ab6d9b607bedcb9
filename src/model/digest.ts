/** @module Content digests: `sha256:<64 hex>` or `sha512:<128 hex>`. */

declare const digestBrand: unique symbol;
/** A validated digest string. */
export type Digest = string & { readonly [digestBrand]: true };

export const DIGEST_PATTERN = '^(sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128})$';
const DIGEST_RE = new RegExp(DIGEST_PATTERN);

export function isDigest(text: string): text is Digest {
  return DIGEST_RE.test(text);
}

/** Parses a digest or explains why it is not one. */
export function parseDigest(text: string): { ok: true; digest: Digest } | { ok: false; reason: string } {
  if (isDigest(text)) return { ok: true, digest: text };
  const colon = text.indexOf(':');
  if (colon < 0) return { ok: false, reason: `digest "${text}" has no algorithm prefix` };
  const algorithm = text.slice(0, colon);
  if (algorithm !== 'sha256' && algorithm !== 'sha512') return { ok: false, reason: `digest algorithm "${algorithm}" is not supported` };
  return { ok: false, reason: `digest "${text}" is not ${algorithm === 'sha256' ? 64 : 128} lower-case hex characters` };
}
