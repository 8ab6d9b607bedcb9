/**
 * @module Azure Linux / CBL-Mariner OVAL definitions to vulnerability
 * records, streaming: the shared tables pass (`readRpmInfoTables`) for the
 * rpminfo tests, objects and states, then the definitions one at a time.
 *
 * How a definition reads (the rules Trivy's and Grype's readers follow,
 * stated on the OVAL itself):
 *
 * - `<patchable>Not Applicable</patchable>`: the CVE never or no longer
 *   applies to the package; no record.
 * - each criterion's `rpminfo_test` names the package (its object) and the
 *   bound (its state's `evr`): `less than` is the fix (`fixedInVersion`);
 *   `less than or equal` is the last affected version with no fix yet
 *   (`package.version`; the rpm rule treats it as ≤, as the OVAL says, where
 *   Trivy and Grype flag every version). Other operations are lower bounds
 *   (`greater than 0:0.0.0`, paired with the fix in 3.0 files) and bound
 *   nothing a record can hold; a test without a state affects every version.
 * - the package is the SPEC, i.e. the source rpm, so records are
 *   `kind: 'source'` and reach binaries through their source package.
 * - the name is the CVE (the definition's `<reference source="CVE">`), the
 *   severity `<metadata><severity>`, `issued` the `<advisory_date>`.
 *
 * Definitions of a class other than `vulnerability` or `patch` are skipped.
 */
import type { Logger } from 'pino';
import type { VulnerabilityRecord, VulnerableDistribution } from '../../model/index.js';
import { readRpmInfoTables, type RpmInfoTables } from '../oval/index.js';
import { readAzureLinuxDefinitions, type AzureLinuxDefinition } from './definitions.js';
import { normalizeAzureLinuxSeverity } from './severity.js';

/** Definition classes that describe vulnerable packages. */
const VULNERABILITY_CLASSES: ReadonlySet<string> = new Set(['vulnerability', 'patch']);

/** What `azureLinuxRecords` needs besides the file. */
export interface AzureLinuxRecordOptions {
  /** The updater name, recorded on every record and prefixed to errors. */
  updater: string;
  /** The release every definition of the file belongs to. */
  distribution: VulnerableDistribution;
  signal?: AbortSignal | undefined;
  log?: Logger | undefined;
}

/** One package bound read from a criterion. */
export interface AzureLinuxPackageBound {
  name: string;
  /** The fix (`less than` state); empty when none. */
  fixedInVersion: string;
  /** The last affected version (`less than or equal` state); empty otherwise. */
  version: string;
}

/** True when the definition says the CVE does not apply (`Not Applicable`). */
export function isNotApplicable(def: AzureLinuxDefinition): boolean {
  return def.patchable.trim().toLowerCase() === 'not applicable';
}

/** The CVE a definition is about: its CVE reference, else any reference, else the title's first word, else its id. */
export function definitionName(def: AzureLinuxDefinition): string {
  const reference = def.references.find((r) => r.source.toUpperCase() === 'CVE' && r.refId !== '') ?? def.references.find((r) => r.refId !== '');
  return reference?.refId ?? (def.title.split(/\s/, 1)[0] || def.id);
}

/** The package bounds of a definition's criteria, in order, without repeats. */
export function packageBounds(def: AzureLinuxDefinition, tables: RpmInfoTables): AzureLinuxPackageBound[] {
  const out: AzureLinuxPackageBound[] = [];
  const seen = new Set<string>();
  for (const ref of def.testRefs) {
    const test = tables.tests.get(ref);
    if (test === undefined) continue;
    const name = tables.objects.get(test.objectRef);
    if (name === undefined || name === '') continue;
    let fixedInVersion = '';
    let version = '';
    const stateRef = test.stateRefs[0];
    if (stateRef !== undefined) {
      const evr = tables.states.get(stateRef)?.evr;
      if (evr === undefined) continue;
      if (evr.operation === 'less than') fixedInVersion = evr.value;
      else if (evr.operation === 'less than or equal') version = evr.value;
      else continue;
    }
    const key = `${name}\0${fixedInVersion}\0${version}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ name, fixedInVersion, version });
  }
  return out;
}

/** The records of one definition; `[]` when it is skipped. */
export function definitionRecords(def: AzureLinuxDefinition, tables: RpmInfoTables, options: Pick<AzureLinuxRecordOptions, 'updater' | 'distribution'>): VulnerabilityRecord[] {
  if (!VULNERABILITY_CLASSES.has(def.class) || isNotApplicable(def)) return [];
  const name = definitionName(def);
  const links = [...new Set(def.references.map((r) => r.refUrl.trim()).filter((l) => l !== ''))].join(' ');
  return packageBounds(def, tables).map((bound) => ({
    updater: options.updater,
    name,
    description: def.description,
    issued: def.advisoryDate,
    links,
    severity: def.severity,
    normalizedSeverity: normalizeAzureLinuxSeverity(def.severity),
    package: { name: bound.name, version: bound.version, module: '', arch: '', kind: 'source' },
    distribution: options.distribution,
    fixedInVersion: bound.fixedInVersion,
    archOp: '',
  }));
}

/** Streams the records of the Azure Linux OVAL document at `path`. */
export async function* azureLinuxRecords(path: string, options: AzureLinuxRecordOptions): AsyncGenerator<VulnerabilityRecord> {
  const read = { component: options.updater, signal: options.signal };
  const tables = await readRpmInfoTables(path, read);
  let definitions = 0;
  let notApplicable = 0;
  let skipped = 0;
  let records = 0;
  for await (const def of readAzureLinuxDefinitions(path, read)) {
    definitions++;
    if (isNotApplicable(def)) {
      notApplicable++;
      continue;
    }
    const found = definitionRecords(def, tables, options);
    if (found.length === 0) skipped++;
    for (const record of found) {
      records++;
      yield record;
    }
  }
  options.log?.debug({ updater: options.updater, definitions, notApplicable, skipped, records, tests: tables.tests.size, states: tables.states.size }, 'azurelinux parse done');
}
