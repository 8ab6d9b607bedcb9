/**
 * @module An ELSA definition to record prototypes (claircore
 * `oracle.Updater.Parse`'s `protoVulns`): one per "Oracle Linux N" platform,
 * none when the definition only concerns userspace ksplice packages (those
 * are never applied inside containers).
 */
import type { VulnerableDistribution } from '../../model/index.js';
import { ovalAliases, ovalLinks, type OvalDefinition, type RecordPrototype } from '../oval/index.js';
import { withAliases } from '../../model/alias.js';
import { cpeValueText, unbindCpe } from '../../model/cpe.js';
import { normalizeOracleSeverity } from './severity.js';
import { oracleRelease } from '../../model/releases.js';

const PLATFORM = /^Oracle Linux ([0-9]+)$/;
const ELSA_ID = /ELSA-[0-9]{4}-[0-9]+/;

/** Memoised so every record of a release shares one (read-only) object. */
const releases = new Map<number, VulnerableDistribution>();

/**
 * The distribution for an OVAL platform name, exactly as the Oracle
 * distribution scanner reports that release; `undefined` for other platforms.
 */
export function oracleDistribution(platform: string): VulnerableDistribution | undefined {
  const m = PLATFORM.exec(platform.trim());
  if (m === null) return undefined;
  const n = Number(m[1]);
  let d = releases.get(n);
  if (d === undefined) {
    d = oracleRelease(n);
    releases.set(n, d);
  }
  return d;
}

/**
 * True when the advisory's CPE list is non-empty and every entry has the
 * edition `userspace_ksplice`. An unparsable CPE counts as not ksplice, so a
 * bad CPE errs toward reporting (claircore's choice: false positives over
 * false negatives).
 */
export function isOnlyKsplice(def: OvalDefinition): boolean {
  const cpes = def.advisory.affectedCpes;
  if (cpes.length === 0) return false;
  return cpes.every((cpe) => {
    const wfn = unbindCpe(cpe);
    return wfn !== undefined && cpeValueText(wfn.edition) === 'userspace_ksplice';
  });
}

/** The ELSA id: the `elsa` reference, else the id in the title, else the title. */
export function elsaName(def: OvalDefinition): string {
  const ref = def.references.find((r) => r.source.toLowerCase() === 'elsa' && r.refId !== '');
  if (ref !== undefined) return ref.refId;
  return ELSA_ID.exec(def.title)?.[0] ?? def.title.trim();
}

/** Record prototypes for one ELSA definition. */
export function oraclePrototypes(def: OvalDefinition, updater: string): RecordPrototype[] {
  const dists = def.affected.flatMap((a) => a.platforms).map(oracleDistribution).filter((d) => d !== undefined);
  if (dists.length === 0 || isOnlyKsplice(def)) return [];
  const severity = def.advisory.severity;
  const name = elsaName(def);
  const proto = {
    updater,
    name,
    ...withAliases(ovalAliases(def, name)),
    description: def.description.trim(),
    issued: def.advisory.issued,
    links: ovalLinks(def),
    severity,
    normalizedSeverity: normalizeOracleSeverity(severity),
  };
  return dists.map((distribution) => ({ ...proto, distribution }));
}
