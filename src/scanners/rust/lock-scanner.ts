/**
 * @module The `cargo` package scanner (Trivy's `cargo` analyzer; claircore
 * has no Rust support): every `Cargo.lock` in the layer, each crate it pins
 * reported once, in the lock file's order. Crates from the crates.io index
 * (git or sparse protocol) can be matched; git, path and other-registry
 * crates are reported but never matched (see `crates.ts`). A lock file does
 * not say which crates are dev-dependencies, so all are reported. A file
 * that is not a lock file (not TOML, or larger than 16 MiB) is skipped, not
 * an error: source trees carry test fixtures of every shape.
 */
import type { PackageScanner } from '../../indexer/scanner.js';
import type { ScannedPackage } from '../../model/scanned.js';
import { basename, textFilesMatching } from '../internal/layer-files.js';
import { parseCargoLock } from './cargo-lock.js';
import { CRATES_IO_LOCK_SOURCES, CRATES_IO_REPOSITORY, cratePackage } from './crates.js';

/** Persisted identity; changing it is a migration. */
export const CARGO_LOCK_SCANNER_NAME = 'cargo';
export const CARGO_LOCK_SCANNER_VERSION = '1';
export const CARGO_LOCK_SCANNER_KIND = 'package';

/** Lock files larger than this (16 MiB) are skipped; the largest workspaces' are well under 1 MiB. */
export const CARGO_LOCK_LIMIT = 16 * 1024 * 1024;

/** Finds the crates Cargo.lock files pin. */
export const cargoLockScanner = {
  name: CARGO_LOCK_SCANNER_NAME,
  version: CARGO_LOCK_SCANNER_VERSION,
  kind: CARGO_LOCK_SCANNER_KIND,
  defaultRepository: CRATES_IO_REPOSITORY,
  async scan(layer, context) {
    const out: ScannedPackage[] = [];
    for await (const { path, text } of textFilesMatching(layer, context, CARGO_LOCK_SCANNER_NAME, CARGO_LOCK_LIMIT, (path) => basename(path) === 'Cargo.lock')) {
      const lock = parseCargoLock(text);
      if (!lock?.ok) continue;
      for (const crate of lock.crates) out.push(cratePackage(crate, CRATES_IO_LOCK_SOURCES.has(crate.source), `cargo:${path}`, path));
    }
    return out;
  },
} satisfies PackageScanner;
