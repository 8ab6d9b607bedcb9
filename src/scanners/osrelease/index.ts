/** @module os-release parsing and CPE binding shared by the distribution scanners. */
export * from './parse.js';
export * from './read.js';
export * from '../../model/cpe.js';
