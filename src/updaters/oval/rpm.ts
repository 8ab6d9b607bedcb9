/**
 * @module OVAL rpminfo definitions to vulnerability records: the equivalent
 * of claircore's `ovalutil.RPMDefsToVulns`, streaming. For each definition the
 * vendor supplies record prototypes (name, severity, distribution…; none to
 * skip it); every criterion that resolves to an rpminfo test whose state has
 * an EVR becomes one record per (module × prototype), with the object's name
 * as the binary package, the EVR as the fixed version, and the state's arch
 * and arch operation.
 */
import type { Logger } from 'pino';
import type { ArchOp, VulnerabilityRecord } from '../../model/index.js';
import { enabledModules, flattenCriteria } from './criteria.js';
import { readDefinitions } from './definitions.js';
import { readRpmInfoTables } from './tables.js';
import type { OvalDefinition, RpmInfoTables } from './types.js';

/** A package constraint read from one criterion. */
export interface RpmPackageTuple {
  name: string;
  module: string;
  /** The fixed EVR (`less than` states; claircore takes every other operation as fixed too). */
  fixedInVersion: string;
  /** The last affected EVR, for `less than or equal` states; otherwise empty. */
  version: string;
  arch: string;
  archOp: ArchOp;
}

/** The record fields a vendor fills per definition; the package fields come from the criteria. */
export type RecordPrototype = Omit<VulnerabilityRecord, 'package' | 'fixedInVersion' | 'archOp'>;

/** How `ovalRpmRecords` reports and what it asks the vendor. */
export interface OvalRpmOptions {
  /** Prefix for error messages, e.g. the updater name. */
  component: string;
  signal?: AbortSignal | undefined;
  log?: Logger | undefined;
  /** Prototypes for a definition; `[]` skips it (no known platform, ksplice-only…). */
  prototypes(def: OvalDefinition): RecordPrototype[];
}

/** OVAL operations to claircore arch operations; others leave the operation empty (always matches). */
export function mapArchOp(operation: string): ArchOp {
  switch (operation) {
    case 'equals':
      return 'equals';
    case 'not equal':
      return 'not equals';
    case 'pattern match':
      return 'pattern match';
    default:
      return '';
  }
}

/**
 * The package constraints of one definition, in criteria order, without
 * repeats (Oracle's per-arch definitions list each package once per arch
 * branch with the same state).
 */
export function rpmTuples(def: OvalDefinition, tables: RpmInfoTables): RpmPackageTuple[] {
  const criteria = flattenCriteria(def.criteria);
  const modules = enabledModules(criteria);
  if (modules.length === 0) modules.push('');
  const out: RpmPackageTuple[] = [];
  const seen = new Set<string>();
  for (const criterion of criteria) {
    // Unknown ids are tests of another kind (or dangling refs): skipped, as claircore does.
    const test = tables.tests.get(criterion.testRef);
    if (test === undefined) continue;
    const name = tables.objects.get(test.objectRef);
    if (name === undefined || name === '') continue;
    // The state is optional; without one the package is affected in every version.
    let fixedInVersion = '';
    let version = '';
    let arch = '';
    let archOp: ArchOp = '';
    const stateRef = test.stateRefs[0];
    if (stateRef !== undefined) {
      const state = tables.states.get(stateRef);
      // No EVR: a signature key, release-version or arch-only check, not a package bound.
      if (state?.evr === undefined) continue;
      if (state.evr.operation === 'less than or equal') version = state.evr.value;
      else fixedInVersion = state.evr.value;
      if (state.arch !== undefined) {
        arch = state.arch.value;
        archOp = mapArchOp(state.arch.operation);
      }
    }
    for (const module of modules) {
      const tuple = { name, module, fixedInVersion, version, arch, archOp };
      const key = JSON.stringify(tuple);
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(tuple);
    }
  }
  return out;
}

/** Records from prototypes × tuples, tuple-major as claircore loops. */
export function definitionRecords(prototypes: readonly RecordPrototype[], tuples: readonly RpmPackageTuple[]): VulnerabilityRecord[] {
  const out: VulnerabilityRecord[] = [];
  for (const t of tuples) {
    for (const proto of prototypes) {
      out.push({
        ...proto,
        package: { name: t.name, version: t.version, module: t.module, arch: t.arch, kind: 'binary' },
        fixedInVersion: t.fixedInVersion,
        archOp: t.archOp,
      });
    }
  }
  return out;
}

/**
 * Streams the records of the OVAL rpminfo document at `path`: one pass for
 * the tests/objects/states, a second for the definitions (see `tables.ts`
 * and `definitions.ts` for the memory bound).
 */
export async function* ovalRpmRecords(path: string, options: OvalRpmOptions): AsyncGenerator<VulnerabilityRecord> {
  const tables = await readRpmInfoTables(path, options);
  let definitions = 0;
  let skipped = 0;
  let records = 0;
  for await (const def of readDefinitions(path, options)) {
    definitions++;
    const prototypes = options.prototypes(def);
    const tuples = prototypes.length === 0 ? [] : rpmTuples(def, tables);
    if (tuples.length === 0) {
      skipped++;
      continue;
    }
    for (const record of definitionRecords(prototypes, tuples)) {
      records++;
      yield record;
    }
  }
  options.log?.debug(
    { definitions, skipped, records, tests: tables.tests.size, objects: tables.objects.size, states: tables.states.size, otherTests: tables.otherTests },
    'oval parse done',
  );
}
