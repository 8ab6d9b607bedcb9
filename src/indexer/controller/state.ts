/**
 * @module The indexer controller's states (claircore
 * `indexer/controller/state.go`). A successful index walks
 *
 *   CheckManifest → FetchLayers → ScanLayers → Coalesce → IndexManifest → IndexFinished → Terminal
 *
 * CheckManifest may go straight to Terminal when every current scanner has
 * already indexed the manifest (the stored report is returned). Any state may
 * go to IndexError, which persists the failed report and ends. The report is
 * persisted after every transition, so a crash leaves a report that a
 * re-post of the manifest finishes.
 */
import type { IndexState } from '../../model/index.js';

export type ControllerState = IndexState | 'Terminal';

export type { IndexContext } from './context.js';

/** Each state's step: does its work and names the next state. */
export type StateStep = (ctx: import('./context.js').IndexContext) => Promise<ControllerState>;
