/**
 * @module Fingerprints built from HTTP validators, and the conditional
 * request headers that replay them (the Debian and Ubuntu updaters, through
 * `downloadFingerprinted` in `download.ts`).
 *
 * A fingerprint is the bare validator string, as claircore stores it: an
 * HTTP date (Last-Modified) or an entity tag (ETag, always quoted). When the
 * server sends neither, it is `sha256:<hex>` of the body, which can only be
 * compared after downloading. The three forms cannot be confused: an entity
 * tag starts with `"` or `W/"`, a digest with `sha256:`, anything else is a
 * date.
 */

/** Which validator wins when a response carries both. */
export type FingerprintPreference = 'last-modified' | 'etag';

const DIGEST_PREFIX = 'sha256:';

function isEntityTag(value: string): boolean {
  return value.startsWith('"') || value.startsWith('W/"');
}

/**
 * The fingerprint for a response's validators, in order of preference, else
 * the body digest; `undefined` when nothing usable is known yet.
 */
export function fingerprintOf(prefer: FingerprintPreference, v: { etag?: string | undefined; lastModified?: string | undefined; sha256?: string | undefined }): string | undefined {
  const etag = v.etag !== undefined && isEntityTag(v.etag) ? v.etag : undefined;
  const lastModified = v.lastModified !== undefined && !Number.isNaN(Date.parse(v.lastModified)) ? v.lastModified : undefined;
  const first = prefer === 'etag' ? etag ?? lastModified : lastModified ?? etag;
  if (first !== undefined) return first;
  return v.sha256 === undefined ? undefined : `${DIGEST_PREFIX}${v.sha256}`;
}

/** `If-None-Match` or `If-Modified-Since` for a previous fingerprint (none for a digest). */
export function conditionalHeaders(previous: string | undefined): Record<string, string> {
  if (previous === undefined || previous === '' || previous.startsWith(DIGEST_PREFIX)) return {};
  if (isEntityTag(previous)) return { 'if-none-match': previous };
  if (!Number.isNaN(Date.parse(previous))) return { 'if-modified-since': previous };
  return {};
}
