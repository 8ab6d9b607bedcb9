/** @module Domain vocabulary: types only, no I/O. */
export * from './digest.js';
export * from './manifest.js';
export * from './package.js';
export * from './index-report.js';
export * from './vulnerability.js';
export * from './vulnerability-record.js';
export * from './match-constraint.js';
export * from './alias.js';
