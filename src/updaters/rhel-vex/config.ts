/**
 * @module `updaters.config.rhel-vex`, with claircore's `vex.FactoryConfig`
 * keys:
 *
 * | key | default | meaning |
 * |---|---|---|
 * | `url` | `https://security.access.redhat.com/data/csaf/v2/vex/` | base of the VEX tree (a trailing `/` is added) |
 * | `compressed_file_timeout` | `2m` | Go duration allowed for downloading the archive |
 * | `ignore_kernel_packages` | `false` | skip every `kernel*` package, the allow-listed ones too |
 * | `fixed_in_version_cel` | — | not supported here: a non-empty value is a configuration error |
 */
import { parseDuration } from '../../config/duration.js';
import { clairError } from '../../lib/errors.js';

/** claircore `vex.BaseURL`. */
export const DEFAULT_BASE_URL = 'https://security.access.redhat.com/data/csaf/v2/vex/';
/** claircore `defaultCompressedFileTimeout`. */
export const DEFAULT_COMPRESSED_FILE_TIMEOUT_MS = 2 * 60_000; // 2 minutes

/** The validated configuration. */
export interface RhelVexConfig {
  /** Always ends in `/`. */
  baseUrl: string;
  /** Milliseconds for the archive download. */
  compressedFileTimeoutMs: number;
  ignoreKernelPackages: boolean;
}

const KNOWN_KEYS = new Set(['url', 'compressed_file_timeout', 'ignore_kernel_packages', 'fixed_in_version_cel']);

function bad(key: string, what: string): Error {
  return clairError('CONFIG_INVALID', `config: updaters.config.rhel-vex.${key}: ${what}`);
}

/**
 * Validates the set's configuration object; `undefined`/`null` means all
 * defaults. Unknown keys are returned so the caller can log them (claircore
 * ignores them).
 *
 * @throws ClairError `CLAIR_ERR_CONFIG_INVALID` naming the key.
 */
export function parseRhelVexConfig(raw: unknown): { config: RhelVexConfig; unknownKeys: string[] } {
  if (raw !== undefined && raw !== null && (typeof raw !== 'object' || Array.isArray(raw))) {
    throw clairError('CONFIG_INVALID', 'config: updaters.config.rhel-vex: expected an object');
  }
  const c = (raw ?? {}) as Record<string, unknown>;

  let baseUrl = DEFAULT_BASE_URL;
  if (c.url !== undefined && c.url !== '') {
    if (typeof c.url !== 'string') throw bad('url', 'expected a string');
    baseUrl = c.url.endsWith('/') ? c.url : `${c.url}/`;
    let parsed: URL;
    try {
      parsed = new URL(baseUrl);
    } catch {
      throw bad('url', `not a URL: ${JSON.stringify(c.url)}`);
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw bad('url', `expected an http(s) URL, got ${JSON.stringify(c.url)}`);
  }

  let compressedFileTimeoutMs = DEFAULT_COMPRESSED_FILE_TIMEOUT_MS;
  if (c.compressed_file_timeout !== undefined && c.compressed_file_timeout !== '' && c.compressed_file_timeout !== 0) {
    if (typeof c.compressed_file_timeout !== 'string') throw bad('compressed_file_timeout', 'expected a duration string such as "5m"');
    compressedFileTimeoutMs = parseDuration(c.compressed_file_timeout);
    if (!(compressedFileTimeoutMs > 0)) throw bad('compressed_file_timeout', 'must be positive');
  }

  if (c.ignore_kernel_packages !== undefined && typeof c.ignore_kernel_packages !== 'boolean') throw bad('ignore_kernel_packages', 'expected a boolean');
  if (c.fixed_in_version_cel !== undefined && c.fixed_in_version_cel !== '') {
    // Silently ignoring it would store versions the operator asked to rewrite.
    throw bad('fixed_in_version_cel', 'CEL rewriting of fixed versions is not supported by this implementation');
  }

  return {
    config: { baseUrl, compressedFileTimeoutMs, ignoreKernelPackages: c.ignore_kernel_packages === true },
    unknownKeys: Object.keys(c).filter((k) => !KNOWN_KEYS.has(k)),
  };
}
