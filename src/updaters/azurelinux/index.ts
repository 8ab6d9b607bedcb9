/** @module Azure Linux / CBL-Mariner OVAL updaters (this project's; claircore has none). */
export { AZURELINUX_OVAL_BASE, AZURELINUX_RELEASES, AZURELINUX_SET_NAME, AzureLinuxUpdater, azureLinuxFileName, azureLinuxSetFactory, azureLinuxUpdater, azureLinuxUpdaterName, parseAzureLinuxConfig, type AzureLinuxConfig } from './updater.js';
export { azureLinuxRecords, definitionName, definitionRecords, isNotApplicable, packageBounds, type AzureLinuxPackageBound, type AzureLinuxRecordOptions } from './records.js';
export { readAzureLinuxDefinitions, type AzureLinuxDefinition } from './definitions.js';
export { normalizeAzureLinuxSeverity } from './severity.js';
