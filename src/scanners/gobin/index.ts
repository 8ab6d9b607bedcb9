/** @module gobin: the `gobin` package scanner for Go executables. */
export { gobinPackageScanner, GO_REPOSITORY, GOBIN_READ_LIMIT, GOBIN_SCANNER_KIND, GOBIN_SCANNER_NAME, GOBIN_SCANNER_VERSION } from './scanner.js';
export { parseGoVersion } from './packages.js';
