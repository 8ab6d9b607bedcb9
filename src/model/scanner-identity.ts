/** @module Scanner identity, persisted with every scan result. */

export type ScannerKind = 'package' | 'distribution' | 'repository' | 'file';

/** Name, version and kind are persisted: changing one is a migration, not a refactor. */
export interface ScannerIdentity {
  readonly name: string;
  readonly version: string;
  readonly kind: ScannerKind;
}
