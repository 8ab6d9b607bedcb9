/**
 * @module The `notifier` block. Defaults apply in every mode; checks and
 * lints only in `combo` and `notifier` modes. The delivery mechanisms
 * (`webhook`, `amqp`, `stomp`) are read by `delivery.ts`.
 */
import { DEFAULTS } from '../defaults.js';
import type { Problems } from '../schema.js';
import type { Mode, NotifierConfig } from '../types.js';
import { checkConnString, requiredUrl, type ConnStringContext } from './checks.js';
import { amqpConfig, stompConfig, webhookConfig } from './delivery.js';
import { bool, num, obj, str, uses, type LintCallback, type Obj } from './section.js';

/**
 * Validates the decoded `notifier` block `nx` (absent when the document has
 * none) and returns it with every default applied.
 */
export function validateNotifier(
  nx: Obj | undefined,
  mode: Mode,
  problems: Problems,
  lint: LintCallback,
  conn: ConnStringContext,
): NotifierConfig {
  const interval = (key: 'poll_interval' | 'delivery_interval'): number => {
    const v = num(nx, key) ?? 0;
    return v < DEFAULTS.notifier.min_interval ? DEFAULTS.notifier[key] : v;
  };
  const notifier: NotifierConfig = {
    connstring: str(nx, 'connstring') ?? '',
    migrations: bool(nx, 'migrations'),
    indexer_addr: str(nx, 'indexer_addr') ?? '',
    matcher_addr: str(nx, 'matcher_addr') ?? '',
    poll_interval: interval('poll_interval'),
    delivery_interval: interval('delivery_interval'),
    disable_summary: bool(nx, 'disable_summary'),
    retention: num(nx, 'retention') ?? DEFAULTS.notifier.retention,
  };
  const used = uses.notifier(mode);
  const wx = obj(nx, 'webhook');
  if (wx !== undefined) notifier.webhook = webhookConfig(wx, used, problems, lint);
  const ax = obj(nx, 'amqp');
  if (ax !== undefined) notifier.amqp = amqpConfig(ax, used, problems, lint);
  const sx = obj(nx, 'stomp');
  if (sx !== undefined) notifier.stomp = stompConfig(sx, used, problems, lint);
  if (!used) return notifier;

  if (mode === 'notifier') {
    requiredUrl('notifier.indexer_addr', notifier.indexer_addr, 'notifier', problems);
    requiredUrl('notifier.matcher_addr', notifier.matcher_addr, 'notifier', problems);
  }
  // Upstream skips the connstring lint for a notifier block that is absent in combo mode.
  if (mode === 'notifier' || (nx !== undefined && Object.keys(nx).length > 0)) {
    checkConnString('notifier.connstring', notifier.connstring, conn, lint, problems);
  }
  const mechanisms = [wx, ax, sx].filter((x) => x !== undefined).length;
  if (mechanisms === 0 && nx !== undefined && Object.keys(nx).length > 0) lint('notifier', 'no delivery mechanisms specified');
  if (mechanisms > 1) lint('notifier', 'multiple delivery mechanisms specified (webhook is used first, then amqp, then stomp)');
  if (notifier.poll_interval < DEFAULTS.notifier.poll_interval) {
    lint('notifier.poll_interval', 'interval is very fast: may result in increased workload');
  }
  if (notifier.delivery_interval < DEFAULTS.notifier.delivery_interval) {
    lint('notifier.delivery_interval', 'interval is very fast: may result in increased workload');
  }
  for (const key of ['poll_interval', 'delivery_interval'] as const) {
    const v = num(nx, key);
    if (v !== undefined && v < DEFAULTS.notifier.min_interval) {
      lint(`notifier.${key}`, `values below 1m are replaced by the default (${key === 'poll_interval' ? '6h' : '1h'})`);
    }
  }
  if (notifier.retention < DEFAULTS.notifier.min_interval) {
    problems.add('notifier.retention', 'must be at least 1m');
  }
  if (notifier.disable_summary) {
    lint('notifier.disable_summary', 'disabling notification summary significantly increases memory consumption');
  }
  return notifier;
}
