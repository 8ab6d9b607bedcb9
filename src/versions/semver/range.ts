/**
 * @module npm version ranges: a port of node-semver's `Range`, `Comparator`
 * and `satisfies`. The range text is rewritten into sets of primitive
 * comparators exactly as node-semver does (hyphen ranges, x-ranges, `~`, `^`,
 * `||`, `*`), so the edge cases match npm's.
 *
 * A pre-release version only satisfies a comparator set if some comparator in
 * that set names a pre-release of the same `major.minor.patch`, unless
 * `includePrerelease` is set.
 */
import { invalid, parsed, type ParseResult } from '../scheme.js';
import { compareNpm, parseNpm, type NpmVersion, type SemverOptions } from './npm.js';
import { RE } from './re.js';

/** A primitive comparator; `semver` undefined means "any version". */
export interface Comparator {
  readonly operator: '' | '<' | '<=' | '>' | '>=';
  readonly semver: NpmVersion | undefined;
  /** node-semver's `value`, e.g. `>=1.2.3`; `''` for any. */
  readonly value: string;
}

/** A parsed range: a union (`||`) of intersections of comparators. */
export interface NpmRange {
  readonly set: readonly (readonly Comparator[])[];
  readonly options: SemverOptions;
}

class InvalidComparator extends Error {}

const BUILDSTRIP = new RegExp('(?:\\+([a-zA-Z0-9-]+(?:\\.[a-zA-Z0-9-]+)*))', 'g');

const isX = (id: string | undefined): boolean => !id || id.toLowerCase() === 'x' || id === '*';

const invalidXRangeOrder = (M: string | undefined, m: string | undefined, p: string | undefined): boolean =>
  (isX(M) && !isX(m)) || (isX(m) && !!p && !isX(p));

function replaceTilde(comp: string, options: SemverOptions): string {
  const r = options.loose ? RE.TILDELOOSE : RE.TILDE;
  const z = options.includePrerelease ? '-0' : '';
  return comp.replace(r, (_: string, M: string, m?: string, p?: string, pr?: string) => {
    if (isX(M)) return '';
    if (isX(m)) return `>=${M}.0.0${z} <${+M + 1}.0.0-0`;
    if (isX(p)) return `>=${M}.${m}.0${z} <${M}.${+m! + 1}.0-0`;
    if (pr) return `>=${M}.${m}.${p}-${pr} <${M}.${+m! + 1}.0-0`;
    return `>=${M}.${m}.${p} <${M}.${+m! + 1}.0-0`;
  });
}

function replaceCaret(comp: string, options: SemverOptions): string {
  const r = options.loose ? RE.CARETLOOSE : RE.CARET;
  const z = options.includePrerelease ? '-0' : '';
  return comp.replace(r, (_: string, M: string, m?: string, p?: string, pr?: string) => {
    if (isX(M)) return '';
    if (isX(m)) return `>=${M}.0.0${z} <${+M + 1}.0.0-0`;
    if (isX(p)) {
      if (M === '0') return `>=${M}.${m}.0${z} <${M}.${+m! + 1}.0-0`;
      return `>=${M}.${m}.0${z} <${+M + 1}.0.0-0`;
    }
    if (pr) {
      if (M === '0') {
        if (m === '0') return `>=${M}.${m}.${p}-${pr} <${M}.${m}.${+p! + 1}-0`;
        return `>=${M}.${m}.${p}-${pr} <${M}.${+m! + 1}.0-0`;
      }
      return `>=${M}.${m}.${p}-${pr} <${+M + 1}.0.0-0`;
    }
    if (M === '0') {
      if (m === '0') return `>=${M}.${m}.${p} <${M}.${m}.${+p! + 1}-0`;
      return `>=${M}.${m}.${p} <${M}.${+m! + 1}.0-0`;
    }
    return `>=${M}.${m}.${p} <${+M + 1}.0.0-0`;
  });
}

function replaceXRange(input: string, options: SemverOptions): string {
  const comp = input.trim();
  const r = options.loose ? RE.XRANGELOOSE : RE.XRANGE;
  return comp.replace(r, (ret: string, gtlt: string, M: string, m?: string, p?: string) => {
    if (invalidXRangeOrder(M, m, p)) return comp;
    const xM = isX(M);
    const xm = xM || isX(m);
    const xp = xm || isX(p);
    const anyX = xp;
    let op = gtlt;
    if (op === '=' && anyX) op = '';
    let pr = options.includePrerelease ? '-0' : '';
    if (xM) {
      return op === '>' || op === '<' ? '<0.0.0-0' : '*';
    }
    if (op && anyX) {
      let nM: number | string = M;
      let nm: number | string = xm ? 0 : m!;
      let np: number | string = 0;
      if (op === '>') {
        op = '>=';
        if (xm) {
          nM = +M + 1;
          nm = 0;
          np = 0;
        } else {
          nm = +m! + 1;
          np = 0;
        }
      } else if (op === '<=') {
        op = '<';
        if (xm) nM = +M + 1;
        else nm = +m! + 1;
      }
      if (op === '<') pr = '-0';
      return `${op + nM}.${nm}.${np}${pr}`;
    }
    if (xm) return `>=${M}.0.0${pr} <${+M + 1}.0.0-0`;
    if (xp) return `>=${M}.${m}.0${pr} <${M}.${+m! + 1}.0-0`;
    return ret;
  });
}

function parseComparatorText(input: string, options: SemverOptions): string {
  let comp = input.replace(RE.BUILD, '');
  comp = comp
    .trim()
    .split(/\s+/)
    .map((c) => replaceCaret(c, options))
    .join(' ');
  comp = comp
    .trim()
    .split(/\s+/)
    .map((c) => replaceTilde(c, options))
    .join(' ');
  comp = comp
    .split(/\s+/)
    .map((c) => replaceXRange(c, options))
    .join(' ');
  return comp.trim().replace(RE.STAR, '');
}

function hyphenReplace(incPr: boolean) {
  return (
    _0: string,
    from: string,
    fM: string,
    fm: string | undefined,
    fp: string | undefined,
    fpr: string | undefined,
    _fb: string | undefined,
    to: string,
    tM: string,
    tm: string | undefined,
    tp: string | undefined,
    tpr: string | undefined,
  ): string => {
    let f: string;
    if (isX(fM)) f = '';
    else if (isX(fm)) f = `>=${fM}.0.0${incPr ? '-0' : ''}`;
    else if (isX(fp)) f = `>=${fM}.${fm}.0${incPr ? '-0' : ''}`;
    else if (fpr) f = `>=${from}`;
    else f = `>=${from}${incPr ? '-0' : ''}`;
    let t: string;
    if (isX(tM)) t = '';
    else if (isX(tm)) t = `<${+tM + 1}.0.0-0`;
    else if (isX(tp)) t = `<${tM}.${+tm! + 1}.0-0`;
    else if (tpr) t = `<=${tM}.${tm}.${tp}-${tpr}`;
    else if (incPr) t = `<${tM}.${tm}.${+tp! + 1}-0`;
    else t = `<=${to}`;
    return `${f} ${t}`.trim();
  };
}

function newComparator(text: string, options: SemverOptions): Comparator {
  const comp = text.trim().split(/\s+/).join(' ');
  const m = (options.loose ? RE.COMPARATORLOOSE : RE.COMPARATOR).exec(comp);
  if (!m) throw new InvalidComparator(`invalid comparator "${comp}"`);
  let operator = (m[1] ?? '') as Comparator['operator'] | '=';
  if (operator === '=') operator = '';
  if (!m[2]) return { operator, semver: undefined, value: '' };
  const v = parseNpm(m[2], { loose: !!options.loose });
  if (!v.ok) throw new InvalidComparator(v.reason);
  return { operator, semver: v.version, value: operator + v.version.version };
}

const isNullSet = (c: Comparator): boolean => c.value === '<0.0.0-0';
const isAny = (c: Comparator): boolean => c.value === '';

function parseRangePart(input: string, options: SemverOptions): Comparator[] {
  let range = input.replace(BUILDSTRIP, '');
  range = range.replace(options.loose ? RE.HYPHENRANGELOOSE : RE.HYPHENRANGE, hyphenReplace(!!options.includePrerelease));
  range = range.replace(RE.COMPARATORTRIM, '$1$2$3');
  range = range.replace(RE.TILDETRIM, '$1~');
  range = range.replace(RE.CARETTRIM, '$1^');
  let list = range
    .split(' ')
    .map((c) => parseComparatorText(c, options))
    .join(' ')
    .split(/\s+/)
    .map((c) => c.trim().replace(options.includePrerelease ? RE.GTE0PRE : RE.GTE0, ''));
  if (options.loose) list = list.filter((c) => RE.COMPARATORLOOSE.test(c));
  const map = new Map<string, Comparator>();
  for (const text of list) {
    const c = newComparator(text, options);
    if (isNullSet(c)) return [c];
    map.set(c.value, c);
  }
  if (map.size > 1 && map.has('')) map.delete('');
  return [...map.values()];
}

/** Parses an npm range such as `^1.2.3 || >=2.0.0 <3`; never throws. */
export function parseRange(text: string, options: SemverOptions = {}): ParseResult<NpmRange> {
  const raw = text.trim().replace(/\s+/g, ' ');
  let set: Comparator[][];
  try {
    set = raw
      .split('||')
      .map((r) => parseRangePart(r.trim(), options))
      .filter((c) => c.length > 0);
  } catch (err) {
    return invalid(`semver: invalid range "${text}": ${err instanceof Error ? err.message : String(err)}`);
  }
  if (set.length === 0) return invalid(`semver: invalid range "${text}"`);
  if (set.length > 1) {
    const first = set[0]!;
    set = set.filter((c) => !isNullSet(c[0]!));
    if (set.length === 0) set = [first];
    else if (set.length > 1) {
      for (const c of set) {
        if (c.length === 1 && isAny(c[0]!)) {
          set = [c];
          break;
        }
      }
    }
  }
  return parsed({ set, options });
}

function comparatorTest(c: Comparator, v: NpmVersion): boolean {
  if (c.semver === undefined) return true;
  const r = compareNpm(v, c.semver);
  switch (c.operator) {
    case '':
      return r === 0;
    case '<':
      return r < 0;
    case '<=':
      return r <= 0;
    case '>':
      return r > 0;
    case '>=':
      return r >= 0;
  }
}

function testSet(set: readonly Comparator[], v: NpmVersion, options: SemverOptions): boolean {
  for (const c of set) if (!comparatorTest(c, v)) return false;
  if (v.prerelease.length && !options.includePrerelease) {
    for (const c of set) {
      const s = c.semver;
      if (s === undefined) continue;
      if (s.prerelease.length > 0 && s.major === v.major && s.minor === v.minor && s.patch === v.patch) return true;
    }
    return false;
  }
  return true;
}

/** node-semver `Range.test` on a parsed version. */
export function rangeTest(range: NpmRange, v: NpmVersion): boolean {
  return range.set.some((s) => testSet(s, v, range.options));
}

/**
 * node-semver `satisfies(version, range, options)`: `false` when either the
 * range or the version does not parse.
 */
export function satisfies(version: string | NpmVersion, range: string | NpmRange, options: SemverOptions = {}): boolean {
  const r = typeof range === 'string' ? parseRange(range, options) : parsed(range);
  if (!r.ok) return false;
  if (typeof version === 'string') {
    if (version === '') return false;
    const v = parseNpm(version, r.version.options);
    return v.ok && rangeTest(r.version, v.version);
  }
  return rangeTest(r.version, version);
}
