/**
 * @module Normalized `rhctag` ranges for container-image records (claircore's
 * VEX `ranger`). A fixed tag `T` (major.minor) gives `[T.minor start,
 * T.minor end)`, so a fix in one minor stream says nothing about another;
 * then, per image, the range of the lowest fixed minor is widened down to
 * zero, because every older stream is affected too. Tag parsing is shared
 * with the container scanner (`scanners/rhel/rhctag.ts`), so both sides
 * normalize tags identically.
 */
import { INT32_MAX } from '../../versions/scheme.js';
import type { VersionRange } from '../../model/vulnerability-record.js';
import { parseRhctag, RHCTAG_KIND, rhctagNormalized } from '../../versions/rhctag.js';

const ZERO: readonly number[] = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
/** claircore `rhctag.Version{Major: MaxInt32}.Version(true)`: above every real tag. */
const TOP: readonly number[] = [INT32_MAX, 0, 0, 0, 0, 0, 0, 0, 0, 0];

/** The range that holds every tag, for images with no fix or known not affected. */
export function everyRhctag(): VersionRange {
  return { kind: RHCTAG_KIND, lower: ZERO, upper: TOP };
}

function compareVectors(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < 10; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return 0;
}

/**
 * Builds ranges for the fixed images of one vulnerability. The returned
 * range objects are shared with the records that hold them, so
 * {@link RhctagRanger.finish} can widen them in place.
 */
export class RhctagRanger {
  readonly #lowest = new Map<string, VersionRange>();

  /** The range for `fixedIn` of image `name`; a reason when the tag does not parse. */
  add(name: string, fixedIn: string): { range: VersionRange } | { error: string } {
    let range: VersionRange;
    if (fixedIn === '') {
      range = everyRhctag();
    } else {
      const tag = parseRhctag(fixedIn);
      if (!tag.ok) return { error: tag.reason };
      range = { kind: RHCTAG_KIND, lower: rhctagNormalized(tag.version, true).v, upper: rhctagNormalized(tag.version, false).v };
    }
    const current = this.#lowest.get(name);
    if (current === undefined || compareVectors(range.lower, current.lower) < 0) this.#lowest.set(name, range);
    return { range };
  }

  /** Widens each image's lowest range down to zero. Call once, after the last {@link add}. */
  finish(): void {
    for (const range of this.#lowest.values()) range.lower = ZERO;
  }
}
