/**
 * @module How Red Hat matchers compare a vulnerability's repository CPE with
 * a record's: claircore's `cpe.Compare(vuln, record).IsSuperset()` (NISTIR
 * 7696 name matching, per attribute) or, failing that, claircore's
 * `rhel.IsCPESubstringMatch`, a Red Hat specific prefix rule for VEX "CPE
 * patterns" such as `cpe:/a:redhat:openshift:4`, which Red Hat expects to
 * cover `cpe:/a:redhat:openshift:4.13::el8`.
 *
 * Pure: no I/O, nothing throws.
 */
import { bindCpeFs, CPE_ATTRIBUTES, unbindCpe, type CpeValue, type Wfn } from '../../model/cpe.js';

const ANY: CpeValue = { kind: 'any' };
/** claircore's zero WFN: every attribute unset, which matching reads as ANY. */
const UNSET: Wfn = Object.fromEntries(CPE_ATTRIBUTES.map((a) => [a, ANY])) as Wfn;

/** True when a WFN value holds an unquoted `*` or `?`. */
function hasWildcard(wfn: string): boolean {
  for (let i = 0; i < wfn.length; i++) {
    if (wfn[i] === '\\') i++;
    else if (wfn[i] === '*' || wfn[i] === '?') return true;
  }
  return false;
}

/**
 * claircore's `patCompare`: a case-insensitive match of `target` against
 * `pattern`, whose wildcards may only lead or trail: `*` for any run of
 * characters, `?`s for exactly that many. (claircore miscounts the
 * characters after the match for trailing `?`s; here they are counted.)
 */
function globMatches(pattern: string, target: string): boolean {
  let s = pattern.toLowerCase();
  const t = target.toLowerCase();
  let prefix = 0; // -1: any
  let suffix = 0;
  if (s.startsWith('*')) {
    prefix = -1;
    s = s.slice(1);
  } else {
    while (s.startsWith('?')) {
      prefix++;
      s = s.slice(1);
    }
  }
  if (s.endsWith('*') && !s.endsWith('\\*')) {
    suffix = -1;
    s = s.slice(0, -1);
  } else {
    while (s.endsWith('?') && !s.endsWith('\\?')) {
      suffix++;
      s = s.slice(0, -1);
    }
  }
  // Only the first occurrence is tried, as claircore does.
  const at = t.indexOf(s);
  if (at < 0) return false;
  if (prefix !== -1 && at !== prefix) return false;
  return suffix === -1 || t.length - (at + s.length) === suffix;
}

/** One attribute of NISTIR 7696 table 6-2: is the source value a superset of (or equal to) the target's? */
function attributeCovers(source: CpeValue, target: CpeValue): boolean {
  // A target holding a wildcard is not a name: the relation is undefined.
  if (target.kind === 'value' && hasWildcard(target.wfn)) return false;
  switch (source.kind) {
    case 'any':
      return true;
    case 'na':
      return target.kind === 'na';
    case 'value':
      if (target.kind !== 'value') return false;
      return hasWildcard(source.wfn) ? globMatches(source.wfn, target.wfn) : source.wfn.toLowerCase() === target.wfn.toLowerCase();
  }
}

/**
 * claircore `cpe.Compare(source, target).IsSuperset()`: every attribute of
 * `source` is a superset of, or equal to, the same attribute of `target`.
 */
export function cpeIsSuperset(source: Wfn, target: Wfn): boolean {
  return CPE_ATTRIBUTES.every((a) => attributeCovers(source[a], target[a]));
}

/**
 * claircore `rhel.IsCPESubstringMatch`: the record's formatted-string CPE
 * starts with the vulnerability's, once every trailing `:` and `*` is cut
 * from the latter (`…:openshift:4:*:*…` → `…:openshift:4`,
 * `…:openshift:4.*:*…` → `…:openshift:4.`).
 */
export function cpeSubstringMatch(record: Wfn, vuln: Wfn): boolean {
  return bindCpeFs(record).startsWith(bindCpeFs(vuln).replace(/[:*]+$/, ''));
}

/**
 * True when the vulnerability's repository CPE covers the record's, by
 * either rule. A vulnerability CPE that does not parse covers nothing; a
 * record CPE that does not parse is claircore's unset CPE (ANY everywhere
 * for matching, and no formatted string for the prefix rule).
 */
export function repositoryCpeCovers(vulnCpe: string, recordCpe: string): boolean {
  const vuln = unbindCpe(vulnCpe);
  if (vuln === undefined) return false;
  const record = unbindCpe(recordCpe);
  if (record === undefined) return cpeIsSuperset(vuln, UNSET);
  return cpeIsSuperset(vuln, record) || cpeSubstringMatch(record, vuln);
}
