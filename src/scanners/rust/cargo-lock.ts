/**
 * @module Cargo.lock, every format Cargo has written: v1 (a `[root]` table
 * for the root crate, `[[package]]` entries, checksums in `[metadata]`), v2
 * (checksums inline) and v3/v4 (a top-level `version = 3|4`). Each package
 * has `name`, `version` and, unless it is a path or workspace crate,
 * `source` (`registry+…`, `sparse+…`, `git+…#<commit>`). Dependencies and
 * checksums are not needed here.
 */
import { parse, TomlError } from 'smol-toml';

/** One crate the lock file pins. */
export interface LockedCrate {
  name: string;
  version: string;
  /** `''` for path and workspace crates. */
  source: string;
}

/** Why a lock file gave nothing. */
export type CargoLockResult = { ok: true; crates: LockedCrate[] } | { ok: false; reason: string };

function crateOf(entry: unknown): LockedCrate | undefined {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return undefined;
  const { name, version, source } = entry as { name?: unknown; version?: unknown; source?: unknown };
  if (typeof name !== 'string' || name === '' || typeof version !== 'string' || version === '') return undefined;
  return { name, version, source: typeof source === 'string' ? source : '' };
}

/**
 * The crates of a Cargo.lock, root first (v1), then in file order. Entries
 * without a name or version are skipped; text that is not TOML, or whose
 * `package` is not an array of tables, is refused with the reason.
 */
export function parseCargoLock(text: string): CargoLockResult {
  let doc: Record<string, unknown>;
  try {
    doc = parse(text) as Record<string, unknown>;
  } catch (err) {
    if (err instanceof TomlError) return { ok: false, reason: `not TOML: ${err.message.split('\n')[0]}` };
    throw err;
  }
  const packages = doc.package ?? [];
  if (!Array.isArray(packages)) return { ok: false, reason: '"package" is not an array of tables' };
  const crates: LockedCrate[] = [];
  const root = crateOf(doc.root);
  if (root !== undefined) crates.push(root);
  for (const entry of packages) {
    const c = crateOf(entry);
    if (c !== undefined) crates.push(c);
  }
  return { ok: true, crates };
}
