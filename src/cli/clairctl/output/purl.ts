/**
 * @module Package URLs for the packages of a vulnerability report, for the
 * SBOM formats.
 *
 * claircore picks a purl generator by the package's detector, which the wire
 * report does not carry, so the ecosystem is read from what it does carry:
 * the environment's `package_db` (`var/lib/dpkg/status`,
 * `lib/apk/db/installed`, `bdb:`/`sqlite:`/`ndb:` rpm databases,
 * `python:`, `maven:`/`jar:`/`file:`, `go:`, `nodejs:`, `ruby:`, `cargo:`/`rust:`,
 * `composer:`, `dotnet:`), then the package's repository (`pypi`, `maven`,
 * `go`, `npm`, `rubygems`, `crates.io`, `packagist`, `nuget`), then the
 * distribution. Qualifiers follow Syft and Trivy: `arch`, `distro=<id>-<version>`,
 * `upstream=<source package>` for deb and apk, `epoch` split from rpm
 * versions. A package of no known ecosystem gets `pkg:generic/…`.
 * `packageurl-js` does the per-type normalisation and encoding.
 */
import { PackageURL } from 'packageurl-js';
import type { Distribution, Package, Repository } from '../../../model/package.js';
import type { VulnerabilityReport } from '../../../model/vulnerability.js';
import { environmentOf, mapOf } from './report.js';

export type Ecosystem = 'deb' | 'apk' | 'rpm' | 'pypi' | 'maven' | 'golang' | 'npm' | 'gem' | 'cargo' | 'composer' | 'nuget' | 'unknown';

/** Where a package was found, as far as the report tells. */
export interface PackageContext {
  ecosystem: Ecosystem;
  /** `package_db` of its first environment, `''` when none. */
  packageDb: string;
  /** The layer it was introduced in, `''` when unknown. */
  layer: string;
  distribution: Distribution | undefined;
  repositories: Repository[];
}

const DB_PREFIX: Readonly<Record<string, Ecosystem>> = {
  python: 'pypi',
  maven: 'maven',
  jar: 'maven',
  file: 'maven',
  go: 'golang',
  nodejs: 'npm',
  ruby: 'gem',
  cargo: 'cargo',
  rust: 'cargo',
  composer: 'composer',
  dotnet: 'nuget',
  bdb: 'rpm',
  sqlite: 'rpm',
  ndb: 'rpm',
};

const REPOSITORY_NAME: Readonly<Record<string, Ecosystem>> = { pypi: 'pypi', maven: 'maven', go: 'golang', npm: 'npm', rubygems: 'gem', 'crates.io': 'cargo', packagist: 'composer', nuget: 'nuget' };

const DISTRIBUTION_ID: Readonly<Record<string, Ecosystem>> = {
  debian: 'deb',
  ubuntu: 'deb',
  alpine: 'apk',
  wolfi: 'apk',
  chainguard: 'apk',
  rhel: 'rpm',
  centos: 'rpm',
  fedora: 'rpm',
  ol: 'rpm',
  amzn: 'rpm',
  sles: 'rpm',
  'opensuse-leap': 'rpm',
  opensuse: 'rpm',
  photon: 'rpm',
  rocky: 'rpm',
  almalinux: 'rpm',
};

/** purl namespaces of rpm distributions, by os-release ID (as Syft names them). */
const RPM_NAMESPACE: Readonly<Record<string, string>> = { rhel: 'redhat', ol: 'oracle', amzn: 'amazon', sles: 'suse', 'opensuse-leap': 'opensuse' };

/** The `<prefix>:` of a package_db, if it has one. */
function dbPrefix(packageDb: string): string | undefined {
  const i = packageDb.indexOf(':');
  return i > 0 ? packageDb.slice(0, i) : undefined;
}

/** The file-system path of a language package's database (`python:usr/lib/…` → `usr/lib/…`); undefined for OS package databases. */
export function languagePackagePath(context: PackageContext): string | undefined {
  const prefix = dbPrefix(context.packageDb);
  if (prefix === undefined || !['python', 'maven', 'jar', 'file', 'go', 'nodejs', 'ruby'].includes(prefix)) return undefined;
  const path = context.packageDb.slice(prefix.length + 1);
  return path === '' ? undefined : path;
}

function ecosystemOf(packageDb: string, repositories: readonly Repository[], distribution: Distribution | undefined): Ecosystem {
  const prefix = dbPrefix(packageDb);
  if (prefix !== undefined && DB_PREFIX[prefix] !== undefined) return DB_PREFIX[prefix];
  if (packageDb.endsWith('lib/apk/db/installed')) return 'apk';
  if (packageDb.includes('var/lib/dpkg/status')) return 'deb';
  for (const repo of repositories) {
    const byName = repo.name === undefined ? undefined : REPOSITORY_NAME[repo.name];
    if (byName !== undefined) return byName;
  }
  return (distribution?.did && DISTRIBUTION_ID[distribution.did]) || 'unknown';
}

/** What the report says about where a package came from. */
export function packageContext(report: VulnerabilityReport, packageId: string): PackageContext {
  const env = environmentOf(report, packageId) as (ReturnType<typeof environmentOf> & { repository_id?: unknown }) | undefined;
  const packageDb = typeof env?.package_db === 'string' ? env.package_db : '';
  const distributions = mapOf(report, 'distributions');
  const distribution = env && typeof env.distribution_id === 'string' && env.distribution_id !== '' ? distributions[env.distribution_id] : undefined;
  const repositoryMap = mapOf(report, 'repository');
  // Older reports carry a single `repository_id`.
  const ids = Array.isArray(env?.repository_ids) ? env.repository_ids : typeof env?.repository_id === 'string' && env.repository_id !== '' ? [env.repository_id] : [];
  const repositories = ids.map((id) => repositoryMap[id]).filter((r): r is Repository => typeof r === 'object' && r !== null);
  return {
    ecosystem: ecosystemOf(packageDb, repositories, distribution),
    packageDb,
    layer: typeof env?.introduced_in === 'string' ? env.introduced_in : '',
    distribution,
    repositories,
  };
}

type Parts = [type: string, namespace: string | undefined, name: string, version: string | undefined, qualifiers: Record<string, string> | undefined];

/** `<did>-<version_id>`, Syft's `distro` qualifier, when both are known. */
function distroQualifier(distribution: Distribution | undefined): string | undefined {
  if (!distribution?.did) return undefined;
  const version = distribution.version_id || distribution.version;
  return version ? `${distribution.did}-${version}` : undefined;
}

function qualifiers(entries: Record<string, string | undefined>): Record<string, string> | undefined {
  const kept = Object.entries(entries).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== '');
  return kept.length > 0 ? Object.fromEntries(kept) : undefined;
}

/** The source package, for deb/apk `upstream`, when it differs from the binary's name. */
function upstream(pkg: Package): string | undefined {
  const source = pkg.source;
  if (!source || typeof source.name !== 'string' || source.name === '' || source.name === pkg.name) return undefined;
  return source.version && source.version !== pkg.version ? `${source.name}@${source.version}` : source.name;
}

function parts(pkg: Package, context: PackageContext): Parts {
  const version = pkg.version || undefined;
  const arch = pkg.arch || undefined;
  const distro = distroQualifier(context.distribution);
  const did = context.distribution?.did;
  switch (context.ecosystem) {
    case 'deb':
      return ['deb', did || 'debian', pkg.name, version, qualifiers({ arch, distro, upstream: upstream(pkg) })];
    case 'apk':
      return ['apk', did || 'alpine', pkg.name, version, qualifiers({ arch, distro, upstream: upstream(pkg) })];
    case 'rpm': {
      const m = /^(\d+):(.*)$/.exec(pkg.version ?? '');
      const namespace = did ? (RPM_NAMESPACE[did] ?? did) : 'redhat';
      return ['rpm', namespace, pkg.name, m ? m[2] : version, qualifiers({ arch, epoch: m?.[1], distro, rpmmod: pkg.module || undefined })];
    }
    case 'pypi':
      return ['pypi', undefined, pkg.name, version, undefined];
    case 'maven': {
      const i = pkg.name.indexOf(':');
      return i > 0 ? ['maven', pkg.name.slice(0, i), pkg.name.slice(i + 1), version, undefined] : ['maven', undefined, pkg.name, version, undefined];
    }
    case 'golang': {
      const i = pkg.name.lastIndexOf('/');
      return i > 0 ? ['golang', pkg.name.slice(0, i), pkg.name.slice(i + 1), version, undefined] : ['golang', undefined, pkg.name, version, undefined];
    }
    case 'npm': {
      const i = pkg.name.indexOf('/');
      return pkg.name.startsWith('@') && i > 0 ? ['npm', pkg.name.slice(0, i), pkg.name.slice(i + 1), version, undefined] : ['npm', undefined, pkg.name, version, undefined];
    }
    case 'gem':
      return ['gem', undefined, pkg.name, version, undefined];
    case 'cargo':
      return ['cargo', undefined, pkg.name, version, undefined];
    case 'composer': {
      const i = pkg.name.indexOf('/');
      return i > 0 ? ['composer', pkg.name.slice(0, i), pkg.name.slice(i + 1), version, undefined] : ['composer', undefined, pkg.name, version, undefined];
    }
    case 'nuget':
      return ['nuget', undefined, pkg.name, version, undefined];
    case 'unknown':
      return ['generic', undefined, pkg.name, version, undefined];
  }
}

/**
 * The package's purl, or undefined for a package without a name. A package
 * whose name does not fit its ecosystem's purl rules (a Maven artifact
 * without a group) gets a `pkg:generic/…` purl instead.
 */
export function purlOf(pkg: Package, context: PackageContext): string | undefined {
  if (typeof pkg.name !== 'string' || pkg.name === '') return undefined;
  try {
    return new PackageURL(...parts(pkg, context)).toString();
  } catch {
    return new PackageURL('generic', undefined, pkg.name, pkg.version || undefined, undefined).toString();
  }
}

/** A reference such as `quay.io/org/app:1.2@sha256:…`, split: the repository, the tag and the digest, each `''` when absent. */
export function splitImageReference(reference: string): { repository: string; tag: string; digest: string } {
  const at = reference.indexOf('@');
  const digest = at >= 0 ? reference.slice(at + 1) : '';
  let repository = at >= 0 ? reference.slice(0, at) : reference;
  let tag = '';
  const colon = repository.indexOf(':', repository.lastIndexOf('/') + 1);
  if (colon >= 0) {
    tag = repository.slice(colon + 1);
    repository = repository.slice(0, colon);
  }
  return { repository, tag, digest };
}

/**
 * The purl of a container image: `pkg:oci/<name>@<digest>?repository_url=…&tag=…`,
 * from a reference such as `quay.io/org/app:1.2` or `debian@sha256:…`.
 */
export function imagePurl(reference: string, digest: string): string | undefined {
  const { repository, tag } = splitImageReference(reference);
  const name = repository.slice(repository.lastIndexOf('/') + 1).toLowerCase();
  if (name === '') return undefined;
  try {
    return new PackageURL('oci', undefined, name, digest || undefined, qualifiers({ repository_url: repository, tag: tag || undefined })).toString();
  } catch {
    return undefined;
  }
}
