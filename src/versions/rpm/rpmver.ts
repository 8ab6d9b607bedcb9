/**
 * @module claircore `internal/rpmver`: NEVRA, NEVR, EVR and EVRA strings.
 *
 * `[name-][epoch:]version-release[.arch]`: the string needs at least one `-`;
 * with two or more, everything before the second-to-last `-` is the name. The
 * arch is only split off for the architectures claircore knows, because
 * nothing else distinguishes it from one more release segment.
 */
import { invalid, parsed, type Ordering, type ParseResult } from '../scheme.js';
import { rpmvercmp } from './rpmvercmp.js';

/** A parsed NEVRA (claircore `rpmver.Version`). */
export interface Rpmver {
  readonly name?: string;
  readonly epoch: string;
  readonly version: string;
  readonly release: string;
  readonly arch?: string;
}

/**
 * Architectures claircore recognises (`architectures` in rpmver.go).
 * `i386` is in claircore's table although its docs list only the others.
 */
export const RPM_ARCHITECTURES: ReadonlySet<string> = new Set([
  'aarch64',
  'i386',
  'i686',
  'noarch',
  'ppc64le',
  'riscv',
  's390x',
  'src',
  'x86_64',
]);

/** Parses as claircore `rpmver.Parse`. */
export function parseRpmver(text: string): ParseResult<Rpmver> {
  const first = text.indexOf('-');
  if (first < 0) return invalid(`rpm: "${text}" is missing separators (needs version-release)`);
  let rest = text;
  let name: string | undefined;
  const last = text.lastIndexOf('-');
  if (last !== first) {
    const i = text.lastIndexOf('-', last - 1);
    name = text.slice(0, i);
    rest = text.slice(i + 1);
  }
  const dash = rest.indexOf('-');
  const ev = rest.slice(0, dash);
  const ra = rest.slice(dash + 1);
  let epoch = '0';
  let version = ev;
  const colon = ev.indexOf(':');
  if (colon >= 0) {
    if (colon > 0) epoch = ev.slice(0, colon);
    version = ev.slice(colon + 1);
  }
  let release = ra;
  let arch: string | undefined;
  const dot = ra.lastIndexOf('.');
  if (dot >= 0 && RPM_ARCHITECTURES.has(ra.slice(dot + 1))) {
    arch = ra.slice(dot + 1);
    release = ra.slice(0, dot);
  }
  const v: { name?: string; epoch: string; version: string; release: string; arch?: string } = { epoch, version, release };
  if (name !== undefined) v.name = name;
  if (arch !== undefined) v.arch = arch;
  return parsed(v);
}

function compareOptional(a: string | undefined, b: string | undefined): Ordering {
  if (a === undefined) return b === undefined ? 0 : -1;
  if (b === undefined) return 1;
  return rpmvercmp(a, b);
}

/** claircore `rpmver.Compare`: name (absent sorts first), epoch, version, release, arch. */
export function compareRpmver(a: Rpmver, b: Rpmver): Ordering {
  return (
    compareOptional(a.name, b.name) ||
    rpmvercmp(a.epoch, b.epoch) ||
    rpmvercmp(a.version, b.version) ||
    rpmvercmp(a.release, b.release) ||
    compareOptional(a.arch, b.arch)
  );
}

/** The minimal EVR string claircore prints: `[epoch:]version-release` (epoch omitted when `0`). */
export function formatRpmverEvr(v: Rpmver): string {
  return `${v.epoch !== '0' ? `${v.epoch}:` : ''}${v.version}-${v.release}`;
}

/** claircore `Version.String`: `[name-]EVR[.arch]`. */
export function formatRpmver(v: Rpmver): string {
  return `${v.name !== undefined ? `${v.name}-` : ''}${formatRpmverEvr(v)}${v.arch !== undefined ? `.${v.arch}` : ''}`;
}
