/** @module `ignore_unpatched` for any matcher. */
import type { Matcher } from './matcher.js';

/**
 * `matchers.config.<name>.ignore_unpatched: true` makes any matcher skip
 * vulnerabilities without a fix (upstream offers it for RHEL only).
 */
export function withIgnoreUnpatched(matcher: Matcher, config: Record<string, unknown>): Matcher {
  const own = config[matcher.name] as { ignore_unpatched?: unknown } | undefined;
  if (own?.ignore_unpatched !== true || matcher.query().includes('HasFixedInVersion')) return matcher;
  return { ...matcher, query: () => [...matcher.query(), 'HasFixedInVersion'] };
}
