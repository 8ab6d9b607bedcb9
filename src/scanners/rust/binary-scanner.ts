/**
 * @module The `rustbinary` package scanner (Trivy's `rustbinary` analyzer):
 * Rust executables built with `cargo auditable`, which embed their
 * dependency list in an ELF section `.dep-v0`. Every regular file with an
 * execute bit that is an ELF executable or shared object (`ET_EXEC`,
 * `ET_DYN`) is looked at, in walk order; the section is read from the
 * file's stream (`internal/elf-section.ts`), so a large executable is never
 * held in memory. Runtime crates are reported, the root crate included
 * (`cargo install ripgrep` puts ripgrep itself from crates.io there); build
 * dependencies (build scripts, proc-macros) are not, as they are not in the
 * program. Files without the section, or whose section is malformed, are
 * skipped.
 */
import type { PackageScanner } from '../../indexer/scanner.js';
import type { ScannedPackage } from '../../model/scanned.js';
import { ET_DYN, ET_EXEC } from '../internal/elf.js';
import { readElfSection } from '../internal/elf-section.js';
import { checkAborted, scannerError } from '../internal/layer-files.js';
import { selectInWalkOrder } from '../internal/walk-order.js';
import { AUDIT_JSON_LIMIT, AUDITABLE_SECTION, parseAuditData } from './auditable.js';
import { CRATES_IO_REPOSITORY, cratePackage } from './crates.js';

/** Persisted identity; changing it is a migration. */
export const RUST_BINARY_SCANNER_NAME = 'rustbinary';
export const RUST_BINARY_SCANNER_VERSION = '1';
export const RUST_BINARY_SCANNER_KIND = 'package';

/** Files larger than this (4 GiB) are not looked at. Nothing is buffered, but each look streams the file. */
export const RUST_BINARY_SIZE_LIMIT = 4 * 1024 * 1024 * 1024;

/** The smallest ELF file worth opening: a 64-bit header. */
const MIN_SIZE = 64;

/** cargo-auditable's source name for crates from the crates.io registry. */
const CRATES_IO_SOURCE = 'crates.io';

/** Finds the crates of `cargo auditable` executables. */
export const rustBinaryScanner = {
  name: RUST_BINARY_SCANNER_NAME,
  version: RUST_BINARY_SCANNER_VERSION,
  kind: RUST_BINARY_SCANNER_KIND,
  defaultRepository: CRATES_IO_REPOSITORY,
  async scan(layer, context) {
    checkAborted(context);
    const candidates = await selectInWalkOrder(
      layer,
      (e) => e.type === 'file' && (e.mode & 0o111) !== 0 && e.size >= MIN_SIZE && e.size <= RUST_BINARY_SIZE_LIMIT,
      context,
    );
    const out: ScannedPackage[] = [];
    for (const { path, size } of candidates) {
      checkAborted(context);
      let lookup;
      try {
        lookup = await readElfSection(layer, path, size, { name: AUDITABLE_SECTION, maxBytes: AUDIT_JSON_LIMIT, fileTypes: [ET_EXEC, ET_DYN] });
      } catch (err) {
        throw scannerError(RUST_BINARY_SCANNER_NAME, `unable to read ${JSON.stringify(path)}`, err);
      }
      if (lookup.status !== 'found') continue;
      const audit = parseAuditData(lookup.data);
      if (!audit.ok) continue;
      for (const crate of audit.crates) {
        if (crate.kind !== 'runtime') continue;
        out.push(cratePackage(crate, crate.source === CRATES_IO_SOURCE, `rust:${path}`, path));
      }
    }
    return out;
  },
} satisfies PackageScanner;
