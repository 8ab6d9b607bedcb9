#!/usr/bin/env node
// Runs every colocated *.test.ts file (under src/, and bench/ for the benches' helpers) on node's built-in test runner, with tsx
// as the TypeScript loader. Node 20's runner has no glob support, so the file
// list is collected here. Arguments filter the list by substring.
import { readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const roots = ['src', 'bench'];
const filters = process.argv.slice(2);
const files = roots
  .flatMap((root) => readdirSync(root, { recursive: true, encoding: 'utf8' }).map((f) => join(root, f)))
  .filter((f) => f.endsWith('.test.ts'))
  .filter((f) => filters.length === 0 || filters.some((needle) => f.includes(needle)))
  .sort();

if (files.length === 0) {
  console.error('run-tests: no test files matched');
  process.exit(1);
}

const reporter = process.env.TEST_REPORTER ?? 'spec';
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', `--test-reporter=${reporter}`, ...files],
  { stdio: 'inherit' },
);
process.exit(result.status ?? 1);
