/**
 * @module The matcher as it runs in this process: vulnerability reports by
 * matching index reports against its store, and the update operations the
 * notifier reads.
 */
import type { MatcherStore } from '../store/matcher-store.js';
import type { IndexReport, UpdateDiff, UpdateKind, UpdateOperation, VulnerabilityReport } from '../model/index.js';
import type { MatcherService } from './service.js';
import type { Matcher } from './matcher.js';
import { match, type MatchOptions } from './controller.js';

export class LocalMatcher implements MatcherService {
  readonly #store: MatcherStore;
  readonly #matchers: readonly Matcher[];
  readonly #options: MatchOptions;

  /** `options.enrichers` fill each report's `enrichments`; none leaves it `{}`. */
  constructor(store: MatcherStore, matchers: readonly Matcher[], options: MatchOptions = {}) {
    this.#store = store;
    this.#matchers = matchers;
    this.#options = options;
  }

  get store(): MatcherStore {
    return this.#store;
  }

  initialized(): Promise<boolean> {
    return this.#store.initialized();
  }

  scan(report: IndexReport): Promise<VulnerabilityReport> {
    return match(report, this.#matchers, this.#store, this.#options);
  }

  updateOperations(kind: UpdateKind): Promise<Record<string, UpdateOperation[]>> {
    return this.#store.updateOperations(kind);
  }

  latestUpdateOperations(kind: UpdateKind): Promise<Record<string, UpdateOperation[]>> {
    return this.#store.updateOperations(kind, true);
  }

  latestUpdateOperation(kind: UpdateKind): Promise<string | undefined> {
    return this.#store.latestUpdateOperation(kind);
  }

  deleteUpdateOperations(refs: readonly string[]): Promise<number> {
    return this.#store.deleteUpdateOperations(refs);
  }

  updateDiff(prev: string | undefined, cur: string): Promise<UpdateDiff> {
    return this.#store.updateDiff(prev, cur);
  }
}
