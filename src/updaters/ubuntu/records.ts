/**
 * @module OVAL definitions → vulnerability records for one Ubuntu release
 * (claircore `ubuntu` parser's prototype vulnerability).
 */
import type { NormalizedSeverity, VulnerabilityRecord } from '../../model/index.js';
import { mapArchOp } from '../oval/rpm.js';
import { affected, links, type Definition } from './oval-definitions.js';
import type { OvalTables } from './oval-tables.js';
import { ubuntuRelease } from '../../model/releases.js';

/** Ubuntu's priorities map one to one (claircore `ubuntu.normalizeSeverity`, case-sensitive). */
export function normalizeUbuntuSeverity(severity: string): NormalizedSeverity {
  switch (severity) {
    case 'Negligible':
    case 'Low':
    case 'Medium':
    case 'High':
    case 'Critical':
      return severity;
    default:
      return 'Unknown';
  }
}

/** OVAL operation → claircore ArchOp: the one mapping the OVAL updaters share. */
export const archOp = mapArchOp;

function issuedDate(text: string | undefined): Date | undefined {
  if (text === undefined) return undefined;
  const d = new Date(text);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/** Builds the records of one release's definitions. */
export class UbuntuRecordBuilder {
  readonly #updater: string;
  readonly #distribution: NonNullable<VulnerabilityRecord['distribution']>;

  constructor(updater: string, versionId: string, codeName: string) {
    this.#updater = updater;
    // Exactly what the Ubuntu distribution scanner emits, so DID/name/VERSION_ID line up.
    this.#distribution = ubuntuRelease(versionId, codeName);
  }

  /** One record per binary package the definition names. */
  records(def: Definition, tables: OvalTables): VulnerabilityRecord[] {
    const packages = affected(def, tables);
    if (packages.length === 0) return [];
    const issued = issuedDate(def.issued);
    const shared = {
      updater: this.#updater,
      name: def.title,
      description: def.description,
      ...(issued ? { issued } : {}),
      links: links(def),
      severity: def.severity,
      normalizedSeverity: normalizeUbuntuSeverity(def.severity),
      distribution: this.#distribution,
    };
    return packages.map((p) => ({
      ...shared,
      package: { name: p.name, version: '', module: '', arch: p.arch, kind: 'binary' as const },
      fixedInVersion: p.fixedInVersion,
      archOp: archOp(p.archOperation),
    }));
  }
}
