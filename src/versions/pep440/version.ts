/**
 * @module PEP 440 versions, as pypa/packaging's `Version`: the PyPA regular
 * expression (case-insensitive, surrounding whitespace allowed), the
 * normalisations (`alpha`→`a`, `c`/`pre`/`preview`→`rc`, `rev`/`r`→`post`,
 * implicit numbers, `-`/`_`/`.` separators, lower-cased local versions) and
 * the ordering key (epoch, release without trailing zeros, pre, post, dev,
 * local).
 *
 * Numbers must fit in 2^53 (a larger one is reported as unparsable), so every
 * comparison is plain number arithmetic.
 */
import { INT32_MAX, INT32_MIN, invalid, normalizedVersion, parsed, type NormalizedVersion, type Ordering, type ParseResult } from '../scheme.js';

/** Pre-release label after normalisation. */
export type PreLabel = 'a' | 'b' | 'rc';

/** A local-version segment: numbers compare numerically and above any string. */
export type LocalPart = number | string;

/** A parsed PEP 440 version. Absent parts are `undefined` (not 0: `1.0.post0` is not `1.0`). */
export interface Pep440Version {
  readonly epoch: number;
  readonly release: readonly number[];
  readonly pre: { readonly label: PreLabel; readonly n: number } | undefined;
  readonly post: number | undefined;
  readonly dev: number | undefined;
  readonly local: readonly LocalPart[] | undefined;
}

// pypa/packaging VERSION_PATTERN, anchored with optional surrounding whitespace.
const VERSION_RE = new RegExp(
  '^\\s*v?' +
    '(?:' +
    '(?:([0-9]+)!)?' + // 1 epoch
    '([0-9]+(?:\\.[0-9]+)*)' + // 2 release
    '(' + // 3 pre
    '[-_\\.]?' +
    '(alpha|a|beta|b|preview|pre|c|rc)' + // 4 pre label
    '[-_\\.]?' +
    '([0-9]+)?' + // 5 pre number
    ')?' +
    '(' + // 6 post
    '(?:-([0-9]+))' + // 7 implicit post number
    '|' +
    '(?:' +
    '[-_\\.]?' +
    '(post|rev|r)' + // 8 post label
    '[-_\\.]?' +
    '([0-9]+)?' + // 9 post number
    ')' +
    ')?' +
    '(' + // 10 dev
    '[-_\\.]?' +
    '(dev)' + // 11
    '[-_\\.]?' +
    '([0-9]+)?' + // 12 dev number
    ')?' +
    ')' +
    '(?:\\+([a-z0-9]+(?:[-_\\.][a-z0-9]+)*))?' + // 13 local
    '\\s*$',
  'i',
);

class TooLarge extends Error {}

function num(text: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n)) throw new TooLarge(text);
  return n;
}

function preLabel(l: string): PreLabel {
  switch (l.toLowerCase()) {
    case 'a':
    case 'alpha':
      return 'a';
    case 'b':
    case 'beta':
      return 'b';
    default:
      return 'rc';
  }
}

/** Parses a PEP 440 version. Never throws. */
export function parseVersion(text: string): ParseResult<Pep440Version> {
  const m = VERSION_RE.exec(text);
  if (!m) return invalid(`pep440: invalid version "${text}"`);
  try {
    const release = m[2]!.split('.').map(num);
    const pre = m[4] !== undefined ? { label: preLabel(m[4]), n: m[5] !== undefined ? num(m[5]) : 0 } : undefined;
    let post: number | undefined;
    if (m[7] !== undefined) post = num(m[7]);
    else if (m[8] !== undefined) post = m[9] !== undefined ? num(m[9]) : 0;
    const dev = m[11] !== undefined ? (m[12] !== undefined ? num(m[12]) : 0) : undefined;
    const local =
      m[13] !== undefined
        ? m[13].split(/[-_.]/).map((p): LocalPart => (/^[0-9]+$/.test(p) ? num(p) : p.toLowerCase()))
        : undefined;
    return parsed({ epoch: m[1] !== undefined ? num(m[1]) : 0, release, pre, post, dev, local });
  } catch (err) {
    if (err instanceof TooLarge) return invalid(`pep440: number ${err.message} in "${text}" is too large`);
    return invalid(`pep440: invalid version "${text}"`);
  }
}

function compareNumbers(a: number, b: number): Ordering {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareRelease(a: readonly number[], b: readonly number[]): Ordering {
  // Trailing zeros are not significant: compare as if the shorter were padded.
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const r = compareNumbers(a[i] ?? 0, b[i] ?? 0);
    if (r !== 0) return r;
  }
  return 0;
}

const PRE_RANK: Readonly<Record<PreLabel, number>> = { a: 0, b: 1, rc: 2 };

/** packaging's pre key: a dev-only release sorts before any pre-release, a final after all. */
function comparePre(a: Pep440Version, b: Pep440Version): Ordering {
  const ka = a.pre === undefined ? (a.post === undefined && a.dev !== undefined ? -1 : 1) : 0;
  const kb = b.pre === undefined ? (b.post === undefined && b.dev !== undefined ? -1 : 1) : 0;
  if (ka !== kb) return ka < kb ? -1 : 1;
  if (a.pre === undefined || b.pre === undefined) return 0;
  return compareNumbers(PRE_RANK[a.pre.label], PRE_RANK[b.pre.label]) || compareNumbers(a.pre.n, b.pre.n);
}

function compareLocal(a: readonly LocalPart[] | undefined, b: readonly LocalPart[] | undefined): Ordering {
  if (a === undefined) return b === undefined ? 0 : -1;
  if (b === undefined) return 1;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (typeof x === 'number') {
      if (typeof y !== 'number') return 1;
      const r = compareNumbers(x, y);
      if (r !== 0) return r;
    } else {
      if (typeof y === 'number') return -1;
      if (x !== y) return x < y ? -1 : 1;
    }
  }
  return compareNumbers(a.length, b.length);
}

/** Orders two versions by packaging's comparison key (local versions included). */
export function compareVersion(a: Pep440Version, b: Pep440Version): Ordering {
  return (
    compareNumbers(a.epoch, b.epoch) ||
    compareRelease(a.release, b.release) ||
    comparePre(a, b) ||
    // post: absent sorts first
    (a.post === undefined ? (b.post === undefined ? 0 : -1) : b.post === undefined ? 1 : compareNumbers(a.post, b.post)) ||
    // dev: absent sorts last
    (a.dev === undefined ? (b.dev === undefined ? 0 : 1) : b.dev === undefined ? -1 : compareNumbers(a.dev, b.dev)) ||
    compareLocal(a.local, b.local)
  );
}

/** The canonical string (packaging `str(Version)`), e.g. `1!2.0rc1.post2.dev3+ubuntu.1`. */
export function formatVersion(v: Pep440Version): string {
  let s = v.epoch !== 0 ? `${v.epoch}!` : '';
  s += v.release.join('.');
  if (v.pre) s += `${v.pre.label}${v.pre.n}`;
  if (v.post !== undefined) s += `.post${v.post}`;
  if (v.dev !== undefined) s += `.dev${v.dev}`;
  if (v.local !== undefined) s += `+${v.local.join('.')}`;
  return s;
}

/** The version without its local part (packaging `public`). */
export function publicVersion(v: Pep440Version): Pep440Version {
  return v.local === undefined ? v : { ...v, local: undefined };
}

/** Epoch and release only (packaging `base_version`). */
export function baseVersion(v: Pep440Version): Pep440Version {
  return { epoch: v.epoch, release: v.release, pre: undefined, post: undefined, dev: undefined, local: undefined };
}

/** A pre-release or a dev release. */
export function isPrerelease(v: Pep440Version): boolean {
  return v.pre !== undefined || v.dev !== undefined;
}

/** Has a post-release segment. */
export function isPostrelease(v: Pep440Version): boolean {
  return v.post !== undefined;
}

/**
 * claircore's `pep440` normalized version (`pkg/pep440` `Version.Version`):
 * V0 epoch, V1–V5 the first five release numbers, V6 the pre label
 * (a -3, b -2, rc -1), V7 the pre number, V8 the post number, V9 minus the dev
 * number; a dev release with no pre or post puts `INT32_MIN + dev` in V6 so it
 * sorts before every pre-release. Local versions are dropped. `undefined` if a
 * number does not fit (claircore would silently wrap).
 */
export function normalizeVersion(v: Pep440Version): NormalizedVersion | undefined {
  const values = [v.epoch, ...v.release.slice(0, 5)];
  while (values.length < 6) values.push(0);
  const preL = v.pre === undefined ? 0 : v.pre.label === 'a' ? -3 : v.pre.label === 'b' ? -2 : -1;
  const preN = v.pre?.n ?? 0;
  const post = v.post ?? 0;
  const dev = v.dev ?? 0;
  values.push(preL, preN, post, 0);
  if (dev !== 0) {
    if (post !== 0 || preL !== 0) {
      values[9] = -dev;
    } else {
      // Must stay below -3 (the "a" label) to keep ordering.
      if (dev > INT32_MAX - 3) return undefined;
      values[6] = INT32_MIN + dev;
    }
  }
  return normalizedVersion('pep440', values);
}
