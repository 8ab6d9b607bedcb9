/**
 * @module The `gobin` package scanner (claircore `gobin`, version 7): Go
 * executables and the modules they were built from.
 */
import type { LayerFS } from '../../indexer/layer-fs.js';
import type { PackageScanner, ScanContext } from '../../indexer/scanner.js';
import type { ScannedPackage, ScannedRepository } from '../../model/scanned.js';
import { peekFile } from '../rpm/find.js';
import { selectInWalkOrder } from '../internal/walk-order.js';
import { readBuildInfo } from './buildinfo.js';
import { ET_DYN, ET_EXEC, elfType, parseElf } from '../internal/elf.js';
import { goPackages } from './packages.js';

/** Persisted scanner identity; changing one is a migration. */
export const GOBIN_SCANNER_NAME = 'gobin';
export const GOBIN_SCANNER_VERSION = '7';
export const GOBIN_SCANNER_KIND = 'package';

/** The repository every Go module is reported in (claircore `gobin.Repository`). */
export const GO_REPOSITORY: ScannedRepository = { name: 'go', uri: 'https://pkg.go.dev/', key: '', cpe: '' };

/**
 * Largest executable read (256 MiB). The build information can sit anywhere
 * in the data segment and the pre-1.18 format points into read-only data, so
 * the whole file is needed; `LayerFS` offers no ranged reads, and streaming
 * would still have to hold most of it. Bigger files are skipped: real Go
 * executables above this are vanishingly rare.
 */
export const GOBIN_READ_LIMIT = 256 * 1024 * 1024; // 256 MiB

const PEEK_SIZE = 18;

/**
 * Reports, for every regular file with an execute bit that is an ELF
 * executable or shared object (`ET_EXEC`, `ET_DYN`) carrying Go build
 * information: `stdlib` at the toolchain version, the main module, and every
 * dependency (replacements applied), with `packageDb` `go:<path>`.
 * Files that are not Go executables, or whose build information is
 * malformed, are skipped (claircore logs and moves on).
 */
export const gobinPackageScanner = {
  name: GOBIN_SCANNER_NAME,
  version: GOBIN_SCANNER_VERSION,
  kind: GOBIN_SCANNER_KIND,
  defaultRepository: GO_REPOSITORY,
  async scan(layer: LayerFS, context: ScanContext): Promise<ScannedPackage[]> {
    context.signal?.throwIfAborted();
    const out: ScannedPackage[] = [];
    const candidates = await selectInWalkOrder(
      layer,
      (e) => e.type === 'file' && (e.mode & 0o111) !== 0 && e.size >= PEEK_SIZE && e.size <= GOBIN_READ_LIMIT,
      context,
    );
    for (const entry of candidates) {
      context.signal?.throwIfAborted();
      const type = elfType(await peekFile(layer, entry.path, PEEK_SIZE));
      if (type !== ET_EXEC && type !== ET_DYN) continue;
      const elf = parseElf(await layer.readFile(entry.path, { maxBytes: GOBIN_READ_LIMIT }));
      if (elf === undefined) continue;
      const info = readBuildInfo(elf);
      if (info === undefined) continue;
      out.push(...goPackages(info, entry.path));
    }
    return out;
  },
} as const satisfies PackageScanner;
