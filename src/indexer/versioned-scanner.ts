/** @module Scanner identity, persisted with every scan result. */
import type { Lint } from '../lib/config-lint.js';

export type ScannerKind = 'package' | 'distribution' | 'repository' | 'file';

/** Name, version and kind are persisted: changing one is a migration, not a refactor. */
export interface VersionedScanner {
  readonly name: string;
  readonly version: string;
  readonly kind: ScannerKind;
  /**
   * For scanners that read `indexer.scanner.<section>.<name>`: checks that
   * block as scanning will read it, without any I/O. A wrong type or value
   * throws `CONFIG_INVALID` naming the key under `path` (the block's dotted
   * path); advice such as unknown keys comes back as lints. `clair -check`
   * and start-up both run it.
   */
  checkConfig?(config: unknown, path: string): Lint[];
}
