/**
 * @module Clair configuration: loading (file + drop-ins), strict validation
 * with defaults and lints, Go duration strings, and safe printing.
 *
 * @example
 * import { loadConfig, formatEffectiveConfig } from './config/index.js';
 * const { config, lints } = await loadConfig(path, 'combo');
 * for (const l of lints) log.warn({ path: l.path, lint: l.message }, 'configuration lint');
 * process.stdout.write(formatEffectiveConfig(config, 'yaml'));
 */
export * from './types.js';
export { DEFAULTS, defaultIndexReportRequestConcurrency } from './defaults.js';
export { formatDuration, formatDurationNanos, parseDuration, parseDurationNanos } from './duration.js';
export { CONFIG_EXTENSIONS, loadConfig, mergePatch, readConfigDocument } from './load.js';
export { METRICS_NAMES, TRACE_NAMES } from './schema.js';
export { checkHostPort, validateConfig, type ValidateOptions } from './validate.js';
export {
  REDACTED,
  formatEffectiveConfig,
  redactConfig,
  redactConnString,
  redactUserinfo,
  type FormatOptions,
} from './redact.js';
