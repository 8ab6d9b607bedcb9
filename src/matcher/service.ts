/**
 * @module The matcher service contract, local in combo mode and remote in
 * distributed mode.
 */
import type { IndexReport, UpdateDiff, UpdateKind, UpdateOperation, VulnerabilityReport } from '../model/index.js';

export interface MatcherService {
  /** True once any vulnerability data has been loaded. */
  initialized(signal?: AbortSignal): Promise<boolean>;
  /** Matches an index report against the loaded vulnerability data. */
  scan(report: IndexReport, signal?: AbortSignal): Promise<VulnerabilityReport>;
  /** Update operations by updater, newest first. */
  updateOperations(kind: UpdateKind, signal?: AbortSignal): Promise<Record<string, UpdateOperation[]>>;
  /** The newest update operation of each updater. */
  latestUpdateOperations(kind: UpdateKind, signal?: AbortSignal): Promise<Record<string, UpdateOperation[]>>;
  /** Ref of the newest update operation of any updater, if there is one. */
  latestUpdateOperation(kind: UpdateKind, signal?: AbortSignal): Promise<string | undefined>;
  /** Deletes update operations by ref and returns how many existed. */
  deleteUpdateOperations(refs: readonly string[], signal?: AbortSignal): Promise<number>;
  /** What changed between two update operations of one updater (`prev` undefined: since nothing). */
  updateDiff(prev: string | undefined, cur: string, signal?: AbortSignal): Promise<UpdateDiff>;
}
