/**
 * @module NVD's `.meta` files: a few `key:value` lines describing one feed
 * (claircore `enricher/cvss/metafile.go`):
 *
 * ```
 * lastModifiedDate:2025-08-07T03:01:41-04:00
 * size:66078439
 * zipSize:4924668
 * gzSize:4924532
 * sha256:D165E29D8D911F3F1E0919A5C1E8C423B14AF1C38F57847DD0A8CC9DBD027618
 * ```
 *
 * The sha256 (of the uncompressed JSON) is what the enricher fingerprints;
 * unknown keys and lines without a colon are ignored, as upstream.
 */

export interface FeedMeta {
  /** Upper-case hex, as upstream compares it. */
  sha256: string;
  lastModified?: string | undefined;
  size?: number | undefined;
  gzSize?: number | undefined;
}

/**
 * Reads a meta file; the string returned instead names what is wrong (no
 * or a malformed sha256, a size or date that is not one).
 */
export function parseFeedMeta(text: string): FeedMeta | string {
  const meta: Partial<FeedMeta> = {};
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const key = line.slice(0, colon);
    const value = line.slice(colon + 1);
    switch (key) {
      case 'sha256':
        if (!/^[0-9a-fA-F]{64}$/.test(value)) return `sha256 is not 64 hex digits: ${JSON.stringify(value)}`;
        meta.sha256 = value.toUpperCase();
        break;
      case 'lastModifiedDate':
        if (Number.isNaN(Date.parse(value))) return `lastModifiedDate is not a date: ${JSON.stringify(value)}`;
        meta.lastModified = value;
        break;
      case 'size':
      case 'gzSize':
        if (!/^\d+$/.test(value)) return `${key} is not a number: ${JSON.stringify(value)}`;
        meta[key] = Number(value);
        break;
      default:
    }
  }
  if (meta.sha256 === undefined) return 'no sha256 line';
  return meta as FeedMeta;
}
