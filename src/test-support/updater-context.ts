/**
 * @module Contexts for updater tests: a run context with a private download
 * directory and a short-timeout client, a set context carrying a config, and
 * the location of `../shared/data` with a skip reason when it is absent.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHttpClient } from '../lib/http-client.js';
import { quietLogger } from './config.js';
import type { SetContext, UpdaterContext } from '../updaters/updater.js';

/** Milliseconds per request in tests. */
export const TEST_TIMEOUT_MS = 5_000;

/** A fresh updater context; call `cleanup` when done. */
export async function updaterContext(): Promise<UpdaterContext & { cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'clair-updater-test-'));
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

/** `../shared/data` beside the repository, when present. */
export const SHARED_DATA = resolve(fileURLToPath(new URL('../../', import.meta.url)), '..', 'shared', 'data');

/** A skip reason when a shared-data path is missing, else false. */
export function sharedDataSkip(path: string): string | false {
  const p = join(SHARED_DATA, path);
  return existsSync(p) ? false : `shared data absent: ${p} (real-data tests skipped)`;
}
