/**
 * @module Test helpers for the secdb and ALAS updater tests (test only: the
 * `.case.ts` suffix keeps it out of the build): a run context with a private
 * directory and a short-timeout client (a stalled server fails a test
 * instead of hanging it), and the shared-data location.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHttpClient } from '../../lib/http-client.js';
import { quietLogger } from '../../test-support/config.js';
import type { SetContext, UpdaterContext } from '../updater.js';

/** Milliseconds per request in tests. */
export const TEST_TIMEOUT_MS = 5_000;

/** A fresh updater context; call `cleanup` when done. */
export async function updaterContext(): Promise<UpdaterContext & { cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'clair-secdb-test-'));
  return {
    dir,
    http: createHttpClient({ timeoutMs: TEST_TIMEOUT_MS }),
    signal: new AbortController().signal,
    log: quietLogger(),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

/** A set context carrying `config`. */
export function setContext(config: unknown): SetContext {
  return { http: createHttpClient({ timeoutMs: TEST_TIMEOUT_MS }), signal: new AbortController().signal, log: quietLogger(), config };
}

const REPO_ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..', '..');

/** `/work/shared/data` (the repository's sibling `shared/data`), if present. */
export const SHARED_DATA = resolve(REPO_ROOT, '..', 'shared', 'data');

/** A skip reason when a shared-data path is missing, else false. */
export function sharedDataSkip(path: string): string | false {
  return existsSync(join(SHARED_DATA, path)) ? false : `shared data absent: ${join(SHARED_DATA, path)} (real-data tests skipped)`;
}
