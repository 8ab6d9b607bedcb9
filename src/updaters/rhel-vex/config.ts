/**
 * @module `updaters.config.rhel-vex`, with claircore's `vex.FactoryConfig`
 * keys:
 *
 * | key | default | meaning |
 * |---|---|---|
 * | `url` | `https://security.access.redhat.com/data/csaf/v2/vex/` | base of the VEX tree (see below) |
 * | `compressed_file_timeout` | `2m` | Go duration allowed for downloading the archive |
 * | `ignore_kernel_packages` | `false` | skip every `kernel*` package, the allow-listed ones too |
 * | `fixed_in_version_cel` | — | not supported here: a non-empty value is a configuration error |
 *
 * The updater is named `rhel-vex` too, so claircore hands the same block to
 * the updater's own `Configure` (`url`, `ignore_kernel_packages`), which
 * takes `url` as written: without a trailing `/`, files resolve beside its
 * last segment (`…/vex` → `…/archive_latest.txt`). The factory appends the
 * slash, but the updater's setting is the one used. That is reproduced here
 * (see {@link parseRhelVexUpdaterConfig}) and linted.
 */
import { parseDuration } from '../../config/duration.js';
import type { Lint } from '../../lib/config-lint.js';
import { isClairError } from '../../lib/errors.js';
import { ConfigBlock } from '../config-block.js';

/** claircore `vex.BaseURL`. */
export const DEFAULT_BASE_URL = 'https://security.access.redhat.com/data/csaf/v2/vex/';
/** claircore `defaultCompressedFileTimeout`. */
export const DEFAULT_COMPRESSED_FILE_TIMEOUT_MS = 2 * 60_000; // 2 minutes

/** The validated configuration. */
export interface RhelVexConfig {
  /** The URL files are resolved against. */
  baseUrl: string;
  /** Milliseconds for the archive download. */
  compressedFileTimeoutMs: number;
  ignoreKernelPackages: boolean;
}

const FACTORY_KEYS = ['url', 'compressed_file_timeout', 'ignore_kernel_packages', 'fixed_in_version_cel'] as const;

/** The set (and its updater) are both `rhel-vex`, keyed the same in `updaters.config`. */
const BLOCK = 'rhel-vex';

/**
 * Reads `updaters.config.rhel-vex` as claircore's `Factory.Configure`; the
 * one parse `checkConfig` and `create` share.
 *
 * @throws ClairError `CONFIG_INVALID` naming the key.
 */
export function parseRhelVexConfig(raw: unknown): { config: RhelVexConfig; lints: Lint[] } {
  const c = new ConfigBlock(BLOCK, raw, FACTORY_KEYS);
  const url = c.url('url');
  if (url !== undefined && !url.endsWith('/')) {
    c.lint('url', `has no trailing slash: claircore's rhel-vex updater resolves files against it as written (${new URL('archive_latest.txt', url).href}), and so does this one; end it with "/"`);
  }
  let compressedFileTimeoutMs = DEFAULT_COMPRESSED_FILE_TIMEOUT_MS;
  const timeout = c.text('compressed_file_timeout');
  if (timeout !== undefined) {
    let ms: number;
    try {
      ms = parseDuration(timeout);
    } catch (err) {
      if (!isClairError(err)) throw err;
      throw c.invalid('compressed_file_timeout', `${err.message} (a Go duration such as "5m")`);
    }
    if (ms < 0) throw c.invalid('compressed_file_timeout', `must not be negative, got ${JSON.stringify(timeout)}`);
    if (ms > 0) compressedFileTimeoutMs = ms;
  }
  const ignoreKernelPackages = c.boolean('ignore_kernel_packages') ?? false;
  // Silently ignoring it would store versions the operator asked to rewrite.
  if (c.text('fixed_in_version_cel') !== undefined) throw c.invalid('fixed_in_version_cel', 'CEL rewriting of fixed versions is not supported by this implementation');
  const base = url ?? DEFAULT_BASE_URL;
  return {
    config: { baseUrl: base.endsWith('/') ? base : `${base}/`, compressedFileTimeoutMs, ignoreKernelPackages },
    lints: c.lints,
  };
}

/** What the updater's own configuration sets. */
export interface RhelVexUpdaterConfig {
  /** `url` as written, or claircore's `BaseURL`. */
  baseUrl: string;
  ignoreKernelPackages: boolean;
}

/**
 * Reads `updaters.config.rhel-vex` as claircore's `Updater.Configure`: `url`
 * as written (no slash added) or the default, and `ignore_kernel_packages`.
 * The factory's keys share the block and are not linted again here; the
 * set's `checkConfig` reports the block's lints.
 *
 * @throws ClairError `CONFIG_INVALID` naming the key.
 */
export function parseRhelVexUpdaterConfig(raw: unknown): { config: RhelVexUpdaterConfig; lints: Lint[] } {
  const c = new ConfigBlock(BLOCK, raw, FACTORY_KEYS);
  return { config: { baseUrl: c.url('url') ?? DEFAULT_BASE_URL, ignoreKernelPackages: c.boolean('ignore_kernel_packages') ?? false }, lints: [] };
}
