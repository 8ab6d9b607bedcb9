/**
 * @module Test support: reads the upstream version vectors in
 * `../shared/data/versions/` (next to the repository) at run time. Nothing
 * from there is copied into the project; tests skip with
 * `../shared/data absent: …` when the directory is missing.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (this file is `src/versions/upstream-vectors.case.ts`). */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** `../shared`, resolved against the repository root. */
export const SHARED_DIR = path.resolve(REPO_ROOT, '..', 'shared');

/** Where the version vectors live. */
export const VECTORS_DIR = path.join(SHARED_DIR, 'data', 'versions');

/** The message a test skips with when a vector file is missing. */
export function absent(name: string): string {
  return `../shared/data absent: ${path.join('versions', name)} not found under ${path.join(SHARED_DIR, 'data')}`;
}

/** One line of a vector file, with its 1-based line number for failure messages. */
export interface VectorLine {
  readonly line: number;
  readonly text: string;
}

/** Reads a vector file's lines, or `undefined` when it is absent. */
export function readLines(name: string): VectorLine[] | undefined {
  const file = path.join(VECTORS_DIR, name);
  if (!existsSync(file)) return undefined;
  return readFileSync(file, 'utf8')
    .split('\n')
    .map((text, i) => ({ line: i + 1, text }));
}

/** A TSV row, read by header name. */
export interface TsvRow {
  readonly line: number;
  get(column: string): string;
}

/** Reads a TSV with a header row; `undefined` when the file is absent. */
export function readTsv(name: string): TsvRow[] | undefined {
  const lines = readLines(name);
  if (!lines || lines.length === 0) return lines === undefined ? undefined : [];
  const header = lines[0]!.text.split('\t');
  const rows: TsvRow[] = [];
  for (const { line, text } of lines.slice(1)) {
    if (text === '') continue;
    const cells = text.split('\t');
    rows.push({
      line,
      get(column: string): string {
        const i = header.indexOf(column);
        if (i < 0) assert.fail(`${name}: no column "${column}"`);
        return cells[i] ?? '';
      },
    });
  }
  return rows;
}

/** Reads a whitespace-separated list, skipping blank lines and `#` comments. */
export function readFields(name: string): { line: number; fields: string[] }[] | undefined {
  const lines = readLines(name);
  if (!lines) return undefined;
  return lines
    .filter(({ text }) => text.trim() !== '' && !text.trimStart().startsWith('#'))
    .map(({ line, text }) => ({ line, fields: text.trim().split(/\s+/) }));
}

/** Where a row came from, for assertion messages. */
export function at(name: string, line: number): string {
  return `versions/${name}:${line}`;
}
