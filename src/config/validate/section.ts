/**
 * @module What every section validator shares: typed readers over the decoded
 * document, the lint callback, mode scoping, and upstream's deprecation
 * wording. `decodeNode` has already checked every type, so the readers only
 * narrow; they never report.
 */
import { isPlainObject } from '../schema.js';
import type { Mode } from '../types.js';

/** A decoded config object (one section, or a block inside one). */
export type Obj = Record<string, unknown>;

/** Records a lint at a dotted key path; the order of calls is the order reported. */
export type LintCallback = (path: string, message: string) => void;

/** Upstream's text for deprecated settings (`config.ErrDeprecated`). */
export const DEPRECATED = 'setting will be removed in a future release';

/** The object at `o[k]`, if there is one. */
export function obj(o: Obj | undefined, k: string): Obj | undefined {
  const v = o?.[k];
  return isPlainObject(v) ? v : undefined;
}

/** The string at `o[k]`, if there is one. */
export function str(o: Obj | undefined, k: string): string | undefined {
  const v = o?.[k];
  return typeof v === 'string' ? v : undefined;
}

/** The number at `o[k]`, if there is one (durations are already milliseconds). */
export function num(o: Obj | undefined, k: string): number | undefined {
  const v = o?.[k];
  return typeof v === 'number' ? v : undefined;
}

/** True only when `o[k]` is `true`; absent means `false`, as in Go. */
export function bool(o: Obj | undefined, k: string): boolean {
  return o?.[k] === true;
}

/** The list of strings at `o[k]`, if there is one. */
export function list(o: Obj | undefined, k: string): string[] | undefined {
  const v = o?.[k];
  return Array.isArray(v) ? (v as string[]) : undefined;
}

/**
 * Whether `mode` runs a service's block. Defaults are applied to every block,
 * but required keys, semantic checks and lints only to the blocks that run.
 */
export const uses = {
  indexer: (m: Mode) => m === 'combo' || m === 'indexer',
  matcher: (m: Mode) => m === 'combo' || m === 'matcher',
  notifier: (m: Mode) => m === 'combo' || m === 'notifier',
};
