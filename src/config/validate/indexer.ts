/**
 * @module The `indexer` block. Defaults apply in every mode; checks and lints
 * only in `combo` and `indexer` modes. The `limits` and `layer_fetch`
 * extensions are read by `indexer-limits.ts`.
 */
import { DEFAULTS, defaultIndexReportRequestConcurrency } from '../defaults.js';
import type { Problems } from '../schema.js';
import type { IndexerConfig, Mode } from '../types.js';
import { checkConnString, type ConnStringContext } from './checks.js';
import { indexerLimits, layerFetchConfig } from './indexer-limits.js';
import { bool, num, obj, str, uses, type LintCallback, type Obj } from './section.js';

/**
 * Validates the decoded `indexer` block `ix` (absent when the document has
 * none) and returns it with every default applied.
 */
export function validateIndexer(
  ix: Obj | undefined,
  mode: Mode,
  problems: Problems,
  lint: LintCallback,
  conn: ConnStringContext,
): IndexerConfig {
  const used = uses.indexer(mode);
  const indexer: IndexerConfig = {
    connstring: str(ix, 'connstring') ?? '',
    scanlock_retry: num(ix, 'scanlock_retry') || DEFAULTS.indexer.scanlock_retry,
    layer_scan_concurrency: num(ix, 'layer_scan_concurrency') || DEFAULTS.indexer.layer_scan_concurrency,
    index_report_request_concurrency: num(ix, 'index_report_request_concurrency') || defaultIndexReportRequestConcurrency(),
    migrations: bool(ix, 'migrations'),
    airgap: bool(ix, 'airgap'),
    spool_dir: str(ix, 'spool_dir') ?? '',
    limits: indexerLimits(ix, problems, lint, used),
    layer_fetch: layerFetchConfig(ix, problems, used),
    scanner: {
      package: obj(obj(ix, 'scanner'), 'package') ?? {},
      dist: obj(obj(ix, 'scanner'), 'dist') ?? {},
      repo: obj(obj(ix, 'scanner'), 'repo') ?? {},
    },
  };
  if (!used) return indexer;

  checkConnString('indexer.connstring', indexer.connstring, conn, lint, problems);
  const given = num(ix, 'scanlock_retry') ?? 0;
  if (given < 0) problems.add('indexer.scanlock_retry', `must not be negative, got ${given}`);
  if (indexer.scanlock_retry > DEFAULTS.indexer.lint_scanlock_retry_max) {
    lint('indexer.scanlock_retry', 'large values will increase latency');
  }
  const lsc = num(ix, 'layer_scan_concurrency') ?? 0;
  if (lsc < 0) problems.add('indexer.layer_scan_concurrency', `must not be negative, got ${lsc}`);
  else if (lsc !== 0 && lsc < DEFAULTS.indexer.lint_layer_scan_concurrency_min) {
    lint('indexer.layer_scan_concurrency', 'small values will limit resource utilization and increase latency');
  } else if (lsc > DEFAULTS.indexer.lint_layer_scan_concurrency_max) {
    lint('indexer.layer_scan_concurrency', 'large values may exceed resource quotas');
  }
  if ((num(ix, 'index_report_request_concurrency') ?? 0) === 0 && !problems.has('indexer.index_report_request_concurrency')) {
    lint('indexer.index_report_request_concurrency', `automatically sizing number of concurrent requests (${indexer.index_report_request_concurrency})`);
  }
  return indexer;
}
