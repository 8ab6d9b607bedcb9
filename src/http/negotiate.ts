/**
 * @module Response media-type negotiation, as upstream's pickContentType:
 * no `Accept` picks the first offered type; otherwise the accepted ranges,
 * stable-sorted by q, are matched (with wildcards) against the offers.
 */
import { clairError } from '../lib/errors.js';

interface MediaRange {
  type: string;
  subtype: string;
  q: number;
}

function parseAccept(header: string): MediaRange[] {
  const ranges: MediaRange[] = [];
  for (const part of header.split(',')) {
    const [mediaType, ...params] = part.trim().split(';');
    if (!mediaType) continue;
    const [type, subtype, extra] = mediaType.trim().toLowerCase().split('/');
    if (!type || !subtype || extra !== undefined) {
      throw clairError('HTTP_BAD_REQUEST', `malformed Accept header: "${part.trim()}"`);
    }
    let q = 1;
    for (const param of params) {
      const [name, value] = param.trim().split('=');
      if (name?.trim() === 'q') {
        q = Number(value);
        if (!Number.isFinite(q) || q < 0 || q > 1) throw clairError('HTTP_BAD_REQUEST', `malformed Accept header: bad q in "${part.trim()}"`);
      }
    }
    ranges.push({ type, subtype, q });
  }
  // Array.prototype.sort is stable, so equal q keeps the client's order.
  return ranges.sort((a, b) => b.q - a.q);
}

/** Picks the response type for `accept` from `offers` (first = default), or throws 415. */
export function pickContentType(accept: string | undefined, offers: readonly string[]): string {
  if (accept === undefined || accept.trim() === '') return offers[0]!;
  for (const range of parseAccept(accept)) {
    if (range.q === 0) continue;
    for (const offer of offers) {
      const [type, subtype] = offer.split('/');
      if ((range.type === '*' || range.type === type) && (range.subtype === '*' || range.subtype === subtype)) return offer;
    }
  }
  throw clairError('HTTP_UNSUPPORTED_MEDIA_TYPE', `none of the acceptable media types are offered: ${offers.join(', ')}`);
}
