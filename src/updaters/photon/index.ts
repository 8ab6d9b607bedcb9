/** @module VMware Photon OS OVAL updaters (claircore `photon`). */
export { PHOTON_OVAL_BASE, PHOTON_RELEASES, PHOTON_SET_NAME, photonFileName, photonPrototypes, photonSetFactory, photonUpdater, photonUpdaterName, parsePhotonConfig, type PhotonConfig } from './updater.js';
export { normalizePhotonSeverity } from './severity.js';
