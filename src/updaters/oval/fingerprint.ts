/**
 * @module The fingerprint of an OVAL download, as claircore's
 * `ovalutil.Fetcher` writes it: JSON `{"Etag":…,"Date":…}` (each omitted
 * when empty) from the ETag and Last-Modified response headers, sent back as
 * If-None-Match and If-Modified-Since.
 */

/** The two validators a fingerprint holds (empty when absent). */
export interface OvalFingerprint {
  etag: string;
  date: string;
}

/** Reads a previous fingerprint; anything unreadable counts as none. */
export function parseFingerprint(text: string | undefined): OvalFingerprint {
  if (!text) return { etag: '', date: '' };
  try {
    const v = JSON.parse(text) as unknown;
    if (typeof v !== 'object' || v === null) return { etag: '', date: '' };
    const { Etag, Date } = v as Record<string, unknown>;
    return { etag: typeof Etag === 'string' ? Etag : '', date: typeof Date === 'string' ? Date : '' };
  } catch {
    return { etag: '', date: '' };
  }
}

/** Serialises as claircore does (`json.Marshal` with `omitempty`, field order Etag, Date). */
export function formatFingerprint(fp: OvalFingerprint): string {
  const out: Record<string, string> = {};
  if (fp.etag !== '') out['Etag'] = fp.etag;
  if (fp.date !== '') out['Date'] = fp.date;
  return JSON.stringify(out);
}

/** Conditional request headers for a previous fingerprint. */
export function conditionalHeaders(fp: OvalFingerprint): Record<string, string> {
  const headers: Record<string, string> = {};
  if (fp.etag !== '') headers['if-none-match'] = fp.etag;
  if (fp.date !== '') headers['if-modified-since'] = fp.date;
  return headers;
}

/**
 * The fingerprint after a 200: a new ETag replaces the old one (an absent one
 * keeps it, as claircore does); Last-Modified always replaces the date.
 */
export function nextFingerprint(previous: OvalFingerprint, headers: Headers): OvalFingerprint {
  return { etag: headers.get('etag') || previous.etag, date: headers.get('last-modified') ?? '' };
}
