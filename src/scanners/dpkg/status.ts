/**
 * @module Interpreting dpkg database stanzas (`status` files and distroless
 * `status.d/*` files), shared by the dpkg and dpkg-distroless scanners.
 */
import type { ScannedPackage } from '../../model/scanned.js';
import type { Stanza } from '../internal/rfc822.js';

/** The fields every package stanza must have to be reported. */
export interface BinaryFields {
  readonly name: string;
  readonly version: string;
  readonly arch: string;
}

/** `Package`, `Version` and `Architecture`, or `undefined` when one is missing or empty. */
export function binaryFields(stanza: Stanza): BinaryFields | undefined {
  const name = stanza.get('package') ?? '';
  const version = stanza.get('version') ?? '';
  const arch = stanza.get('architecture') ?? '';
  if (name === '' || version === '' || arch === '') return undefined;
  return { name, version, arch };
}

/**
 * True when `Status` holds both the `ok` and `installed` words, as for
 * "install ok installed" and "hold ok installed" (and not "deinstall ok
 * config-files" or "install ok half-installed").
 */
export function isInstalled(stanza: Stanza): boolean {
  const words = (stanza.get('status') ?? '').split(/\s+/);
  return words.includes('ok') && words.includes('installed');
}

/**
 * True for a stanza written by vcpkg, whose `installed/vcpkg/status` file
 * mimics dpkg's (next to an `info/` directory) but lists C/C++ ports, not
 * Debian packages: dpkg never writes `Abi` or `Type: Port`.
 */
export function isVcpkgStanza(stanza: Stanza): boolean {
  return stanza.has('abi') || stanza.get('type') === 'Port';
}

/**
 * The source package named by a `Source` field: `name (version)` as
 * dpkg-query reads it, else just the name with `fallbackVersion`.
 */
export function parseSource(field: string, fallbackVersion: string): { name: string; version: string } {
  const space = field.indexOf(' ');
  if (space < 0) return { name: field, version: fallbackVersion };
  return { name: field.slice(0, space), version: field.slice(space + 1).replace(/^[()]+|[()]+$/g, '') };
}

/** A source package record. */
export function sourcePackage(name: string, version: string, packageDb: string): ScannedPackage {
  return { name, version, kind: 'source', arch: '', module: '', cpe: '', packageDb, filepath: '', repositoryHint: '' };
}

/** A binary package record. */
export function binaryPackage(fields: BinaryFields, source: ScannedPackage, packageDb: string, repositoryHint = ''): ScannedPackage {
  return {
    name: fields.name,
    version: fields.version,
    kind: 'binary',
    arch: fields.arch,
    module: '',
    cpe: '',
    source,
    packageDb,
    filepath: '',
    repositoryHint,
  };
}

/** Orders by name, then version (claircore's `sortpkg`), byte-wise. */
export function comparePackages(a: ScannedPackage, b: ScannedPackage): number {
  return compareBytes(a.name, b.name) || compareBytes(a.version, b.version) || compareBytes(a.packageDb, b.packageDb);
}

function compareBytes(a: string, b: string): number {
  return a === b ? 0 : Buffer.compare(Buffer.from(a), Buffer.from(b));
}
