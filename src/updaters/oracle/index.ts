/** @module Oracle Linux ELSA OVAL updaters (claircore `oracle`). */
export { ORACLE_FIRST_YEAR, ORACLE_OVAL_BASE, ORACLE_SET_NAME, oracleSetFactory, oracleUpdater, oracleUpdaterName, parseOracleConfig, type OracleConfig } from './updater.js';
export { elsaName, isOnlyKsplice, oracleDistribution, oraclePrototypes } from './prototypes.js';
export { normalizeOracleSeverity } from './severity.js';
