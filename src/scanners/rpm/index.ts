/** @module rpm: the `rpm` package scanner and the rpm-owned path set language scanners consult. */
export { rpmPackageScanner, RPM_SCANNER_KIND, RPM_SCANNER_NAME, RPM_SCANNER_VERSION } from './scanner.js';
export { rpmPathSet, type RpmPathSet } from './path-set.js';
export { RPM_DB_READ_LIMIT } from './database.js';
