/**
 * @module cargo-auditable's dependency list: the `.dep-v0` section of a Rust
 * executable holds zlib-compressed JSON
 * `{"packages":[{name, version, source, kind?, dependencies?, root?}]}`,
 * where `source` is `crates.io`, `git`, `local`, `registry` or `other`,
 * and `kind` is `runtime` (the default) or `build` (build scripts and
 * proc-macros, not linked into the program).
 */
import { inflateSync } from 'node:zlib';

/** The ELF section cargo-auditable writes. */
export const AUDITABLE_SECTION = '.dep-v0';

/** The JSON is refused beyond 8 MiB, as cargo-auditable's reader does by default. */
export const AUDIT_JSON_LIMIT = 8 * 1024 * 1024;

/** One crate of the dependency list. */
export interface AuditedCrate {
  name: string;
  version: string;
  source: string;
  kind: 'runtime' | 'build';
  root: boolean;
}

export type AuditDataResult = { ok: true; crates: AuditedCrate[] } | { ok: false; reason: string };

/** Decompresses and reads a `.dep-v0` section; entries that are not crates are skipped. */
export function parseAuditData(section: Buffer): AuditDataResult {
  let json: string;
  try {
    json = inflateSync(section, { maxOutputLength: AUDIT_JSON_LIMIT }).toString('utf8');
  } catch (err) {
    const tooLarge = (err as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE';
    return { ok: false, reason: tooLarge ? `decompresses to more than ${AUDIT_JSON_LIMIT} bytes` : 'not zlib data' };
  }
  let doc: unknown;
  try {
    doc = JSON.parse(json);
  } catch {
    return { ok: false, reason: 'not JSON' };
  }
  const packages = (doc as { packages?: unknown } | null)?.packages;
  if (!Array.isArray(packages)) return { ok: false, reason: 'no "packages" array' };
  const crates: AuditedCrate[] = [];
  for (const p of packages as unknown[]) {
    if (typeof p !== 'object' || p === null) continue;
    const { name, version, source, kind, root } = p as Record<string, unknown>;
    if (typeof name !== 'string' || name === '' || typeof version !== 'string' || version === '') continue;
    crates.push({
      name,
      version,
      source: typeof source === 'string' ? source : '',
      kind: kind === 'build' ? 'build' : 'runtime',
      root: root === true,
    });
  }
  return { ok: true, crates };
}
