/** @module php: Composer's installed.json, and its matcher against OSV Packagist records. */
export { parseInstalledJson, type InstalledPackage } from './installed-json.js';
export { COMPOSER_SCANNER_NAME, COMPOSER_SCANNER_VERSION, composerPackageScanner, isInstalledJson, PACKAGIST_REPOSITORY } from './package-scanner.js';
export { PHP_MATCHER_NAME, phpMatcher } from './matcher.js';
