/**
 * The direction of dependencies (docs/architecture.md), checked over the
 * import graph of the production code in src/ (tests and test support are
 * exempt, as they wire things up). A rule names what a part must never
 * import; the failure lists every offending import.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const SRC = dirname(fileURLToPath(import.meta.url));

const isTestCode = (file: string) => /\.(test|case)\.ts$/.test(file) || file.startsWith('test-support/');

/** Production files (relative to src/) and the src/ files or packages each imports. */
function importGraph(): Map<string, string[]> {
  const files = readdirSync(SRC, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
    .map((f) => f.split('\\').join('/'));
  const graph = new Map<string, string[]>();
  for (const file of files.filter((f) => !isTestCode(f))) {
    const info = ts.preProcessFile(readFileSync(join(SRC, file), 'utf8'), true, true);
    const targets = info.importedFiles.map(({ fileName: spec }) => {
      if (!spec.startsWith('.')) return spec; // a package or node: module
      return relative(SRC, resolve(SRC, dirname(file), spec)).split('\\').join('/').replace(/\.js$/, '.ts');
    });
    graph.set(file, targets);
  }
  return graph;
}

const graph = importGraph();

/** Every import from a file matching `from` to a target matching `to`, as "file → target". */
function violations(from: (file: string) => boolean, to: (target: string) => boolean): string[] {
  const found: string[] = [];
  for (const [file, targets] of graph) {
    if (!from(file)) continue;
    for (const target of targets) if (to(target)) found.push(`${file} → ${target}`);
  }
  return found;
}

const under = (...dirs: string[]) => (path: string) => dirs.some((d) => path.startsWith(`${d}/`));
const ENGINES = under('indexer', 'matcher', 'notifier');
/** The store's implementations; its contracts are the files directly in store/. */
const STORE_IMPLEMENTATIONS = (path: string) => path.startsWith('store/') && path.split('/').length > 2;
/** Modules that do I/O: the file system, the network, processes, databases. */
const IO = (target: string) => /^(node:)?(fs|fs\/promises|net|http|https|http2|dns|dns\/promises|child_process|worker_threads|cluster|tls|dgram)$/.test(target) || ['pg', 'undici', '@electric-sql/pglite', 'fastify'].includes(target);

describe('architecture', () => {
  it('engines import no ecosystem, data source or store implementation, and run no SQL', () => {
    assert.deepEqual(violations(ENGINES, (t) => under('scanners', 'updaters', 'deliverers', 'enrichers')(t) || STORE_IMPLEMENTATIONS(t) || t === 'store/database.ts'), []);
  });

  it('the indexer imports no matcher: it is given the matchers\' rules', () => {
    assert.deepEqual(violations(under('indexer'), under('matcher')), []);
  });

  it('the store imports no engine, ecosystem or data source', () => {
    assert.deepEqual(violations(under('store'), under('indexer', 'matcher', 'notifier', 'updaters', 'scanners', 'enrichers', 'app', 'http', 'cli')), []);
  });

  it('the model and the version schemes do no I/O and import nothing above them', () => {
    const allowed = (t: string) => under('model', 'versions')(t) || t === 'lib/errors.ts';
    assert.deepEqual(violations(under('model', 'versions'), (t) => IO(t) || (existsInSrc(t) && !allowed(t))), []);
  });

  it('lib imports nothing of the project but lib', () => {
    assert.deepEqual(violations(under('lib'), (t) => existsInSrc(t) && !t.startsWith('lib/')), []);
  });

  it('deliverers import only the notifier\'s deliverer contract, the model, config types and lib', () => {
    const allowed = (t: string) => under('deliverers', 'model', 'lib')(t) || t === 'notifier/deliverer.ts' || t === 'config/types.ts';
    assert.deepEqual(violations(under('deliverers'), (t) => existsInSrc(t) && !allowed(t)), []);
  });

  it('enrichers import only the enricher contract, the updater contracts, the model, version schemes and lib', () => {
    const forbidden = (t: string) => under('scanners', 'indexer', 'notifier', 'app', 'http', 'cli', 'deliverers')(t) || STORE_IMPLEMENTATIONS(t) || (t.startsWith('matcher/') && t !== 'matcher/enricher.ts');
    assert.deepEqual(violations(under('enrichers'), forbidden), []);
  });

  it('updaters import no scanners', () => {
    assert.deepEqual(violations(under('updaters'), under('scanners')), []);
  });

  it('production code imports no test support', () => {
    assert.deepEqual(violations(() => true, (t) => t.startsWith('test-support/') || /\.(test|case)\.ts$/.test(t)), []);
  });

  it('has no import cycle', () => {
    assert.deepEqual(cycles(), []);
  });
});

/** Whether an import target is a file of the project (rather than a package). */
function existsInSrc(target: string): boolean {
  return target.endsWith('.ts');
}

/** The strongly connected components of more than one file (Tarjan). */
function cycles(): string[][] {
  let index = 0;
  const indices = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string): void => {
    indices.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!indices.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, indices.get(w)!));
    }
    if (low.get(v) === indices.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!indices.has(v)) visit(v);
  return found;
}
