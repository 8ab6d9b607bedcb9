/**
 * @module What a VEX product's purl says about a vulnerable package, as
 * claircore's VEX parser reads it: which purls are used at all, the package
 * name, the fixed version, the module and the architecture pattern.
 *
 * Pure: no I/O. Functions that can fail return `{ error }` rather than throw,
 * because the caller decides (per product status) whether that skips a
 * product or fails the document.
 */
import { qualifier, type Purl } from './purl.js';

/** A purl-derived value, or why it could not be derived. */
export type FieldResult = { value: string } | { error: string };

/**
 * Kernel packages that do ship in container images, so their advisories are
 * kept even though other `kernel*` packages are skipped (containers have no
 * say in the host kernel). Names are matched exactly or, with a trailing
 * `*`, by prefix.
 */
export const KERNEL_ALLOW_LIST: readonly string[] = ['kernel', 'kernel-core', 'kernel-modules*', 'kernel-rt*', 'kernel-64k*', 'kernel-uki-virt*'];

/** True for a `kernel*` package name the updater does not ingest. */
export function isSkippedKernelPackage(name: string, ignoreKernelPackages: boolean): boolean {
  if (!name.startsWith('kernel')) return false;
  if (ignoreKernelPackages) return true;
  return !KERNEL_ALLOW_LIST.some((entry) => (entry.endsWith('*') ? name.startsWith(entry.slice(0, -1)) : name === entry));
}

/**
 * claircore `checkPURL`: only `rpm` (in the `redhat` namespace) and `oci`
 * purls describe something Clair can match, and skipped kernel packages are
 * dropped.
 */
export function isUsablePurl(purl: Purl, ignoreKernelPackages: boolean): boolean {
  if (purl.type !== 'rpm' && purl.type !== 'oci') return false;
  if (isSkippedKernelPackage(purl.name, ignoreKernelPackages)) return false;
  return purl.type !== 'rpm' || purl.namespace === 'redhat';
}

/**
 * The package name: the rpm name; for an image, `namespace/name`, else the
 * path after the registry host in `repository_url`, else the bare name.
 */
export function purlPackageName(purl: Purl): FieldResult {
  if (purl.type === 'rpm') return { value: purl.name };
  if (purl.type !== 'oci') return { error: `unexpected purl type ${JSON.stringify(purl.type)}` };
  if (purl.namespace !== '') return { value: `${purl.namespace}/${purl.name}` };
  const repositoryUrl = qualifier(purl, 'repository_url');
  if (repositoryUrl === undefined) return { value: purl.name };
  const slash = repositoryUrl.indexOf('/');
  if (slash < 0) return { error: `invalid repository_url ${JSON.stringify(repositoryUrl)} for an oci purl` };
  return { value: repositoryUrl.slice(slash + 1) };
}

/**
 * The fixed version: an image's `tag` qualifier (required); an rpm's
 * `epoch:version-release` with epoch 0 when the qualifier is absent, or
 * `''` when the purl names no version.
 */
export function purlFixedInVersion(purl: Purl): FieldResult {
  if (purl.type === 'oci') {
    const tag = qualifier(purl, 'tag');
    return tag === undefined ? { error: 'no tag qualifier on an oci purl' } : { value: tag };
  }
  if (purl.type !== 'rpm') return { error: `unexpected purl type ${JSON.stringify(purl.type)}` };
  if (purl.version === '') return { value: '' };
  return { value: `${qualifier(purl, 'epoch') ?? '0'}:${purl.version}` };
}

/**
 * The module as `name:stream` from the `rpmmod` qualifier
 * (`perl-FCGI:0.78:8060020250604201935:513b2a65` → `perl-FCGI:0.78`), `''`
 * without one; a qualifier without a stream is an error.
 */
export function purlModule(purl: Purl): FieldResult {
  const rpmmod = qualifier(purl, 'rpmmod');
  if (rpmmod === undefined) return { value: '' };
  const colon = rpmmod.indexOf(':');
  const stream = colon < 0 ? '' : rpmmod.slice(colon + 1).split(':')[0]!;
  if (stream === '') return { error: `invalid module ${JSON.stringify(rpmmod)} in the rpmmod qualifier` };
  return { value: `${rpmmod.slice(0, colon)}:${stream}` };
}

/** The `arch` qualifier as an arch pattern; `amd64` and `x86_64` are the same machine. */
export function purlArch(purl: Purl): string {
  const arch = qualifier(purl, 'arch') ?? '';
  return arch === 'amd64' || arch === 'x86_64' ? 'amd64|x86_64' : arch;
}
