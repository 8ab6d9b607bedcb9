/** @module A scanner's identity (persisted with every scan result) and its config check. */
import type { Lint } from '../lib/config-lint.js';
import type { ScannerIdentity, ScannerKind } from '../model/scanner-identity.js';

export type { ScannerKind };

/** Name, version and kind are persisted: changing one is a migration, not a refactor. */
export interface VersionedScanner extends ScannerIdentity {
  /**
   * For scanners that read `indexer.scanner.<section>.<name>`: checks that
   * block as scanning will read it, without any I/O. A wrong type or value
   * throws `CONFIG_INVALID` naming the key under `path` (the block's dotted
   * path); advice such as unknown keys comes back as lints. `clair -check`
   * and start-up both run it.
   */
  checkConfig?(config: unknown, path: string): Lint[];
}
