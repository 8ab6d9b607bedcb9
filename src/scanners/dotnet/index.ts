/** @module dotnet: .NET applications' deps.json, and its matcher against OSV NuGet records. */
export { parseDepsJson, type DepsPackage } from './deps-json.js';
export { DOTNET_SCANNER_NAME, DOTNET_SCANNER_VERSION, dotnetPackageScanner, NUGET_REPOSITORY } from './package-scanner.js';
export { DOTNET_MATCHER_NAME, dotnetMatcher } from './matcher.js';
