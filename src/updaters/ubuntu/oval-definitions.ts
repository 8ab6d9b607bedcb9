/**
 * @module OVAL definitions, one at a time, and their join against the
 * tables (claircore `ovalutil.DpkgDefsToVulns`): every criterion whose test
 * is a `dpkginfo_test` gives one record per package name its object names
 * (directly, or through a constant variable's values); the test's state,
 * if any, gives the fixed version.
 */
import type { OvalTables } from './oval-tables.js';
import type { XmlHandlers } from './xml.js';

/** The parts of a `<definition>` records are built from. */
export interface Definition {
  id: string;
  cls: string;
  title: string;
  description: string;
  severity: string;
  /** `advisory/issued@date`, when present. */
  issued: string | undefined;
  /** `metadata/reference@ref_url`. */
  references: string[];
  /** `advisory/ref` text. */
  refs: string[];
  /** `advisory/bug` text. */
  bugs: string[];
  /** `advisory/cve@href`. */
  cves: string[];
  /** Test refs of every criterion, nested criteria first, as claircore walks them. */
  testRefs: string[];
}

/** One package a definition affects. */
export interface Affected {
  name: string;
  /** `''`: no state, so no fix is known. */
  fixedInVersion: string;
  arch: string;
  archOperation: string;
}

interface CriteriaNode {
  children: CriteriaNode[];
  tests: string[];
}

function flatten(node: CriteriaNode, out: string[]): void {
  for (const child of node.children) flatten(child, out);
  out.push(...node.tests);
}

type Field = 'title' | 'description' | 'severity' | 'ref' | 'bug';

/** Handlers calling `done` with each complete definition. */
export function definitionHandlers(done: (d: Definition) => void): XmlHandlers {
  let def: Definition | undefined;
  let root: CriteriaNode | undefined;
  const stack: CriteriaNode[] = [];
  const path: string[] = [];
  let field: Field | undefined;
  let text = '';

  return {
    open(name, a) {
      const parent = path.at(-1);
      path.push(name);
      if (name === 'definition') {
        def = { id: a.id ?? '', cls: a.class ?? '', title: '', description: '', severity: '', issued: undefined, references: [], refs: [], bugs: [], cves: [], testRefs: [] };
        root = undefined;
        stack.length = 0;
        return;
      }
      if (!def) return;
      if (name === 'criteria') {
        const node: CriteriaNode = { children: [], tests: [] };
        if (stack.length === 0) root ??= node;
        else stack.at(-1)!.children.push(node);
        stack.push(node);
      } else if (name === 'criterion' && stack.length > 0) {
        if (a.test_ref) stack.at(-1)!.tests.push(a.test_ref);
      } else if (parent === 'metadata' && (name === 'title' || name === 'description')) {
        field = name;
      } else if (parent === 'metadata' && name === 'reference') {
        if (a.ref_url) def.references.push(a.ref_url);
      } else if (parent === 'advisory') {
        if (name === 'severity' || name === 'ref' || name === 'bug') field = name;
        else if (name === 'cve' && a.href) def.cves.push(a.href);
        else if (name === 'issued' && a.date) def.issued = a.date;
      }
      if (field === name) text = '';
    },
    text(t) {
      if (field) text += t;
    },
    close(name) {
      path.pop();
      if (!def) return;
      if (field === name) {
        const value = text.trim();
        if (field === 'ref' || field === 'bug') {
          if (value !== '') def[field === 'ref' ? 'refs' : 'bugs'].push(value);
        } else {
          def[field] = value;
        }
        field = undefined;
      } else if (name === 'criteria') {
        stack.pop();
      } else if (name === 'definition') {
        if (root) flatten(root, def.testRefs);
        done(def);
        def = undefined;
      }
    },
  };
}

/**
 * The packages a definition affects. A criterion is skipped (as upstream)
 * when its test is not a known `dpkginfo_test`, its object or state is
 * missing, its state has no EVR, or its variable is unknown.
 */
export function affected(def: Definition, tables: OvalTables): Affected[] {
  const out: Affected[] = [];
  for (const ref of def.testRefs) {
    const test = tables.tests.get(ref);
    if (!test) continue;
    const object = tables.objects.get(test.objectRef);
    if (!object) continue;
    let fixedInVersion = '';
    let arch = '';
    let archOperation = '';
    if (test.stateRef !== undefined) {
      const state = tables.states.get(test.stateRef);
      if (!state || state.evr === undefined) continue;
      fixedInVersion = state.evr;
      arch = state.arch ?? '';
      archOperation = arch === '' ? '' : state.archOperation ?? '';
    }
    const names = object.varRef !== undefined ? tables.variables.get(object.varRef) ?? [] : [object.name];
    for (const name of names) if (name !== '') out.push({ name, fixedInVersion, arch, archOperation });
  }
  return out;
}

/**
 * A definition's links, in claircore's order (references, advisory refs,
 * bugs, CVE hrefs), empty ones dropped and duplicates kept once.
 */
export function links(def: Definition): string {
  return [...new Set([...def.references, ...def.refs, ...def.bugs, ...def.cves].filter((l) => l !== ''))].join(' ');
}
