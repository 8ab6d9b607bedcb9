/**
 * @module Reading a definition's criteria tree the way claircore's
 * `ovalutil.RPMDefsToVulns` does: every `<criterion>` in the tree, regardless
 * of AND/OR structure (the vulnerable-package tests are the leaves that carry
 * an EVR; the rest, "X is installed", "signed with key K", "arch is A", have
 * none and drop out), plus the modules named by "Module X is enabled".
 */
import type { Criteria, Criterion } from './types.js';

/**
 * Every criterion under `node`, depth first: for each node, the criteria of
 * nested `<criteria>` first, then its own criterions (claircore's
 * `walkCriterion` order). `<extend_definition>` carries no package and is
 * skipped, as claircore does.
 */
export function flattenCriteria(node: Criteria | undefined, out: Criterion[] = []): Criterion[] {
  if (node === undefined) return out;
  for (const child of node.children) if (child.type === 'criteria') flattenCriteria(child, out);
  for (const child of node.children) if (child.type === 'criterion') out.push(child);
  return out;
}

// Greedy as claircore's `(Module )(.*)( is enabled)`: "Module nodejs:12 is enabled" → "nodejs:12".
const MODULE_COMMENT = /(Module )(.*)( is enabled)/;

/** The `name:stream` of every "Module X is enabled" criterion, in order. */
export function enabledModules(criteria: readonly Criterion[]): string[] {
  const out: string[] = [];
  for (const c of criteria) {
    const m = MODULE_COMMENT.exec(c.comment);
    if (m?.[2]) out.push(m[2]);
  }
  return out;
}
