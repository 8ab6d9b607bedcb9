/**
 * @module The `dotnet-core` package scanner (Trivy's `dotnet-core`
 * analyzer, `*.deps.json`; claircore has no .NET support): every
 * `*.deps.json` in the layer, each NuGet package the application loads
 * reported once, in the file's order (see `deps-json.ts` for which
 * libraries count). A file that is not a deps.json (not JSON, without
 * `libraries`, larger than 16 MiB) is skipped.
 */
import type { PackageScanner } from '../../indexer/scanner.js';
import type { ScannedPackage, ScannedRepository } from '../../model/scanned.js';
import { textFilesMatching } from '../internal/layer-files.js';
import { parseDepsJson } from './deps-json.js';

/** Persisted identity; changing it is a migration. */
export const DOTNET_SCANNER_NAME = 'dotnet-core';
export const DOTNET_SCANNER_VERSION = '1';
export const DOTNET_SCANNER_KIND = 'package';

/** The repository every NuGet package is attributed to; OSV's `NuGet` records name the same. */
export const NUGET_REPOSITORY: ScannedRepository = { name: 'nuget', key: '', uri: 'https://www.nuget.org/packages/', cpe: '' };

/** deps.json files larger than this (16 MiB) are skipped; large applications' are a few hundred KiB. */
export const DEPS_JSON_LIMIT = 16 * 1024 * 1024;

/** Finds the NuGet packages of .NET applications. */
export const dotnetPackageScanner = {
  name: DOTNET_SCANNER_NAME,
  version: DOTNET_SCANNER_VERSION,
  kind: DOTNET_SCANNER_KIND,
  defaultRepository: NUGET_REPOSITORY,
  async scan(layer, context) {
    const out: ScannedPackage[] = [];
    for await (const { path, text } of textFilesMatching(layer, context, DOTNET_SCANNER_NAME, DEPS_JSON_LIMIT, (path) => path.endsWith('.deps.json'))) {
      const deps = parseDepsJson(text);
      if (!deps?.ok) continue;
      for (const { name, version } of deps.packages) {
        out.push({ name, version, kind: 'binary', arch: '', module: '', cpe: '', packageDb: `dotnet:${path}`, filepath: path, repositoryHint: NUGET_REPOSITORY.name });
      }
    }
    return out;
  },
} satisfies PackageScanner;
