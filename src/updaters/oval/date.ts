/** @module Advisory dates as OVAL feeds write them. */

const DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?/;

/**
 * `2021-04-01` (or `2021-04-01 12:30:00`, `2021-04-01T12:30:00`) as a UTC
 * instant; `undefined` for anything else, so a malformed date never fails a
 * whole feed (it only leaves `issued` empty).
 */
export function parseOvalDate(text: string): Date | undefined {
  const m = DATE.exec(text.trim());
  if (m === null) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1).map((v) => (v === undefined ? 0 : Number(v))) as [number, number, number, number, number, number];
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  // Date.UTC rolls 2021-02-31 over into March; such a date is malformed.
  return date.getUTCMonth() === mo - 1 && date.getUTCDate() === d ? date : undefined;
}
