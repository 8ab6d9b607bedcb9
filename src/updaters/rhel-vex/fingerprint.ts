/**
 * @module The updater's fingerprint, in claircore's format so it reads the
 * same in `updater_status`: `changesETag\deletionsETag\time\version`.
 * Backslash separates the fields because RFC 9110 advises servers to keep
 * it out of entity tags. `time` is RFC 3339 (when the run fetched);
 * `version` is the parser version plus option suffixes, so changing the
 * parser or an option that changes output forces a full re-fetch.
 */

/** Bump when the records produced from the same documents change. */
export const PARSER_VERSION = '6';

/** The fields of a fingerprint. */
export interface Fingerprint {
  changesEtag: string;
  deletionsEtag: string;
  /** RFC 3339 text, kept as written so the fingerprint round-trips. */
  requestTime: string;
  version: string;
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** claircore's `fingerprintVersion`: option suffixes appended to {@link PARSER_VERSION}. */
export function fingerprintVersion(options: { ignoreKernelPackages: boolean }): string {
  return options.ignoreKernelPackages ? `${PARSER_VERSION}+ignore_kernel` : PARSER_VERSION;
}

/** Parses a stored fingerprint; a reason when it is not in this updater's format. */
export function parseFingerprint(text: string): { ok: true; fingerprint: Fingerprint } | { ok: false; reason: string } {
  const fields = text.split('\\');
  if (fields.length !== 4) return { ok: false, reason: `expected 4 backslash-separated fields, got ${fields.length}` };
  const [changesEtag, deletionsEtag, requestTime, version] = fields as [string, string, string, string];
  if (!RFC3339.test(requestTime) || Number.isNaN(Date.parse(requestTime))) return { ok: false, reason: `request time ${JSON.stringify(requestTime)} is not RFC 3339` };
  return { ok: true, fingerprint: { changesEtag, deletionsEtag, requestTime, version } };
}

/** The stored form. */
export function formatFingerprint(fp: Fingerprint): string {
  return [fp.changesEtag, fp.deletionsEtag, fp.requestTime, fp.version].join('\\');
}

/** `time` as Go's `Format(time.RFC3339)` writes a UTC time: whole seconds and `Z`. */
export function rfc3339Seconds(time: Date): string {
  return time.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
