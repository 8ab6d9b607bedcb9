/**
 * Realistic vulnerability reports for the output tests, and a Writable that
 * collects what is written. Two images: a Debian one with dpkg packages
 * (two binaries of one source package), a Python package from PyPI and a
 * Java jar, and an Alpine one with an apk; vulnerabilities with and without
 * fixes at every severity the formats map differently, one with a CVSS
 * enrichment, one whose description holds characters XML and JSON escape.
 */
import { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { createFormatter, type OutputFormat } from './index.js';
import type { FormatterOptions } from './formatter.js';
import type { Package, Repository } from '../../../model/package.js';
import type { Vulnerability, VulnerabilityReport } from '../../../model/vulnerability.js';
import type { ReportResult } from './report.js';

export const DEBIAN_IMAGE = 'docker.io/library/app:1.0';
export const DEBIAN_DIGEST = 'sha256:3f0a9a5c2ab6e84ed0b6a0d1c4c2d37d7b1a4e5b8d9e0f1a2b3c4d5e6f708192';
export const ALPINE_IMAGE = 'quay.io/example/tool@sha256:7c1b2a3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9';
export const ALPINE_DIGEST = 'sha256:7c1b2a3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9';
export const BASE_LAYER = 'sha256:1111111111111111111111111111111111111111111111111111111111111111';
export const APP_LAYER = 'sha256:2222222222222222222222222222222222222222222222222222222222222222';
export const CVSS_KIND = 'message/vnd.clair.map.vulnerability; enricher=clair.cvss schema=https://csrc.nist.gov/schema/nvd/feed/1.1/cvss-v3.x.json';

/** A package with its fields in claircore's declaration order, as a server sends them. */
function pkg(id: string, name: string, version: string, extra: Partial<Package> = {}): Package {
  return {
    id,
    name,
    version,
    kind: extra.kind ?? 'binary',
    ...(extra.source ? { source: extra.source } : {}),
    normalized_version: '',
    ...(extra.arch ? { arch: extra.arch } : {}),
    cpe: extra.cpe ?? '',
  };
}

const noRepository: Repository = { cpe: '' };
const emptyDistribution = { id: '', did: '', name: '', version: '', version_code_name: '', version_id: '', arch: '', cpe: '', pretty_name: '' };

/** A vulnerability with its fields in claircore's declaration order. */
function vuln(id: string, fields: Partial<Vulnerability> & Pick<Vulnerability, 'name' | 'normalized_severity' | 'updater'>): Vulnerability {
  return {
    id,
    updater: fields.updater,
    name: fields.name,
    description: fields.description ?? '',
    issued: fields.issued ?? '0001-01-01T00:00:00Z',
    links: fields.links ?? '',
    severity: fields.severity ?? fields.normalized_severity,
    normalized_severity: fields.normalized_severity,
    package: fields.package ?? pkg('', '', ''),
    distribution: fields.distribution ?? emptyDistribution,
    repository: fields.repository ?? noRepository,
    fixed_in_version: fields.fixed_in_version ?? '',
  };
}

const opensslSource = pkg('9', 'openssl', '1.1.1n-0+deb11u3', { kind: 'source' });

export function debianReport(): VulnerabilityReport {
  const debian = { id: '1', did: 'debian', name: 'Debian GNU/Linux', version: '11 (bullseye)', version_code_name: 'bullseye', version_id: '11', arch: '', cpe: '', pretty_name: 'Debian GNU/Linux 11 (bullseye)' };
  return {
    manifest_hash: DEBIAN_DIGEST,
    packages: {
      '10': pkg('10', 'openssl', '1.1.1n-0+deb11u3', { arch: 'amd64', source: opensslSource }),
      '12': pkg('12', 'libssl1.1', '1.1.1n-0+deb11u3', { arch: 'amd64', source: opensslSource }),
      '14': pkg('14', 'bash', '5.1-2+deb11u1', { arch: 'amd64', source: pkg('13', 'bash', '5.1-2+deb11u1', { kind: 'source' }) }),
      '20': pkg('20', 'requests', '2.25.1'),
      '30': pkg('30', 'com.fasterxml.jackson.core:jackson-databind', '2.9.10.1'),
    },
    distributions: { '1': debian },
    repository: {
      '2': { id: '2', name: 'pypi', uri: 'https://pypi.org/simple', cpe: '' },
      '3': { id: '3', name: 'maven', uri: 'https://repo1.maven.apache.org/maven2', cpe: '' },
    },
    environments: {
      '10': [{ package_db: 'var/lib/dpkg/status', introduced_in: BASE_LAYER, distribution_id: '1', repository_ids: null }],
      '12': [{ package_db: 'var/lib/dpkg/status', introduced_in: BASE_LAYER, distribution_id: '1', repository_ids: null }],
      '14': [{ package_db: 'var/lib/dpkg/status', introduced_in: BASE_LAYER, distribution_id: '1', repository_ids: null }],
      '20': [{ package_db: 'python:usr/lib/python3/dist-packages', introduced_in: APP_LAYER, distribution_id: '', repository_ids: ['2'] }],
      '30': [{ package_db: 'maven:opt/app/app.jar', introduced_in: APP_LAYER, distribution_id: '', repository_ids: ['3'] }],
    },
    vulnerabilities: {
      '100': vuln('100', {
        updater: 'debian/updater/bullseye',
        name: 'CVE-2022-2068',
        description: 'In addition to the c_rehash shell command injection identified in CVE-2022-1292, further circumstances where the c_rehash script does not properly sanitise shell metacharacters were found.',
        issued: '2022-06-21T15:15:00Z',
        links: 'https://security-tracker.debian.org/tracker/CVE-2022-2068',
        severity: 'high',
        normalized_severity: 'Critical',
        package: pkg('', 'openssl', '', { kind: 'source' }),
        distribution: debian,
        fixed_in_version: '1.1.1n-0+deb11u4',
      }),
      '101': vuln('101', {
        updater: 'debian/updater/bullseye',
        name: 'CVE-2023-0464',
        description: 'A security vulnerability has been identified in all supported versions of OpenSSL related to the verification of X.509 certificate chains that include policy constraints.',
        links: 'https://security-tracker.debian.org/tracker/CVE-2023-0464',
        severity: 'medium',
        normalized_severity: 'High',
        package: pkg('', 'openssl', '', { kind: 'source' }),
        distribution: debian,
      }),
      '102': vuln('102', {
        updater: 'debian/updater/bullseye',
        name: 'CVE-2022-3715',
        description: 'A flaw was found in the bash package, where a heap-buffer overflow can occur in valid parameter_transform.',
        links: 'https://security-tracker.debian.org/tracker/CVE-2022-3715',
        severity: 'low',
        normalized_severity: 'Low',
        package: pkg('', 'bash', '', { kind: 'source' }),
        distribution: debian,
      }),
      '103': vuln('103', {
        updater: 'osv/pypi',
        name: 'GHSA-j8r2-6x86-q33q',
        description: 'Requests `Proxy-Authorization` header leaked to destination servers when redirected to an HTTPS endpoint: <proxy> & "auth".',
        issued: '2023-05-22T20:36:32Z',
        links: 'https://github.com/advisories/GHSA-j8r2-6x86-q33q https://nvd.nist.gov/vuln/detail/CVE-2023-32681',
        severity: 'CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:C/C:H/I:N/A:N',
        normalized_severity: 'Medium',
        package: pkg('', 'requests', ''),
        repository: { name: 'pypi', uri: 'https://pypi.org/simple', cpe: '' },
        fixed_in_version: 'introduced=2.3.0&fixed=2.31.0',
      }),
      '104': vuln('104', {
        updater: 'osv/maven',
        name: 'CVE-2020-36518',
        description: 'jackson-databind before 2.13.0 allows a Java StackOverflow exception and denial of service via a large depth of nested objects.',
        links: 'https://nvd.nist.gov/vuln/detail/CVE-2020-36518',
        severity: 'HIGH',
        normalized_severity: 'High',
        package: pkg('', 'com.fasterxml.jackson.core:jackson-databind', ''),
        repository: { name: 'maven', uri: 'https://repo1.maven.apache.org/maven2', cpe: '' },
        fixed_in_version: '2.12.6.1',
      }),
      '105': vuln('105', {
        updater: 'debian/updater/bullseye',
        name: 'CVE-2010-0928',
        description: 'OpenSSL 0.9.8i on the Gaisler Research LEON3 SoC on the Xilinx Virtex-II Pro FPGA uses a Fixed Width Exponentiation (FWE) algorithm.',
        links: 'https://security-tracker.debian.org/tracker/CVE-2010-0928',
        severity: 'unimportant',
        normalized_severity: 'Negligible',
        package: pkg('', 'openssl', '', { kind: 'source' }),
        distribution: debian,
      }),
    },
    package_vulnerabilities: {
      '10': ['100', '101', '105'],
      '12': ['100', '101'],
      '14': ['102'],
      '20': ['103'],
      '30': ['104'],
    },
    enrichments: {
      [CVSS_KIND]: [
        {
          '100': [{ version: '3.1', vectorString: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', baseScore: 9.8, baseSeverity: 'CRITICAL' }],
        },
      ],
    },
  };
}

export function alpineReport(): VulnerabilityReport {
  const alpine = { id: '2', did: 'alpine', name: 'Alpine Linux', version: '3.17', version_code_name: '', version_id: '3.17', arch: '', cpe: '', pretty_name: 'Alpine Linux v3.17' };
  return {
    manifest_hash: ALPINE_DIGEST,
    packages: {
      '5': pkg('5', 'musl', '1.2.3-r4', { arch: 'x86_64', source: pkg('4', 'musl', '1.2.3-r4', { kind: 'source' }) }),
      '7': pkg('7', 'busybox-binsh', '1.35.0-r29', { arch: 'x86_64', source: pkg('6', 'busybox', '1.35.0-r29', { kind: 'source' }) }),
    },
    distributions: { '2': alpine },
    repository: {},
    environments: {
      '5': [{ package_db: 'lib/apk/db/installed', introduced_in: BASE_LAYER, distribution_id: '2', repository_ids: null }],
      '7': [{ package_db: 'lib/apk/db/installed', introduced_in: BASE_LAYER, distribution_id: '2', repository_ids: null }],
    },
    vulnerabilities: {
      '200': vuln('200', {
        updater: 'alpine-main-v3.17-updater',
        name: 'CVE-2025-26519',
        description: 'musl libc 0.9.13 through 1.2.5 before 1.2.6 has an out-of-bounds write vulnerability when an attacker can trigger iconv conversion of untrusted EUC-KR text to UTF-8.',
        links: 'https://www.cve.org/CVERecord?id=CVE-2025-26519',
        normalized_severity: 'High',
        package: pkg('', 'musl', ''),
        distribution: alpine,
        fixed_in_version: '1.2.3-r5',
      }),
    },
    package_vulnerabilities: { '5': ['200'] },
    enrichments: {},
  };
}

export const debianResult = (): ReportResult => ({ name: DEBIAN_IMAGE, digest: DEBIAN_DIGEST, report: debianReport() });
export const alpineResult = (): ReportResult => ({ name: ALPINE_IMAGE, digest: ALPINE_DIGEST, report: alpineReport() });
export const failedResult = (): ReportResult => ({ name: 'registry.example/missing:latest', digest: '', error: new Error('GET https://registry.example/v2/missing/manifests/latest: MANIFEST_UNKNOWN: manifest unknown') });

/** A Writable that keeps what it is given. */
export class Collector extends Writable {
  readonly chunks: string[] = [];
  constructor(options: { highWaterMark?: number } = {}) {
    super({ decodeStrings: false, ...options });
  }
  override _write(chunk: string | Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.chunks.push(chunk.toString());
    setImmediate(callback);
  }
  get text(): string {
    return this.chunks.join('');
  }
}

/** Fixed inputs for the SBOM formats' clock and UUIDs. */
export const FIXED_NOW = () => new Date('2026-03-04T05:06:07.890Z');
export function sequentialUuids(): () => string {
  let n = 0;
  return () => `00000000-0000-4000-8000-${(++n).toString(16).padStart(12, '0')}`;
}

/** Everything `format` writes for `results`, after close and once the stream has taken it all. */
export async function render(format: OutputFormat, results: readonly ReportResult[], options: FormatterOptions = {}): Promise<string> {
  const out = new Collector();
  const formatter = createFormatter(format, out, { now: FIXED_NOW, randomUUID: sequentialUuids(), toolVersion: '0.1.0', ...options });
  for (const result of results) await formatter.write(result);
  await formatter.close();
  out.end();
  await finished(out);
  return out.text;
}
