/**
 * @module Test helpers for the osv updater tests (the `.case.ts` suffix keeps
 * it out of the build): a run context with a private directory and a
 * short-timeout client, a set context, and the shared-data location.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHttpClient } from '../../lib/http-client.js';
import { quietLogger } from '../../test-support/config.js';
import type { SetContext, UpdaterContext } from '../updater.js';

export const TEST_TIMEOUT_MS = 5_000;

export async function updaterContext(): Promise<UpdaterContext & { cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'clair-osv-test-'));
  return {
    dir,
    http: createHttpClient({ timeoutMs: TEST_TIMEOUT_MS }),
    signal: new AbortController().signal,
    log: quietLogger(),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

export function setContext(config: unknown): SetContext {
  return { http: createHttpClient({ timeoutMs: TEST_TIMEOUT_MS }), signal: new AbortController().signal, log: quietLogger(), config };
}

const REPO_ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..', '..');

/** `<repo root>/../shared/data/osv`. */
export const SHARED_OSV = resolve(REPO_ROOT, '..', 'shared', 'data', 'osv');

/** A skip reason when the shared OSV data is missing, else false. */
export function sharedOsvSkip(rel = ''): string | false {
  const p = join(SHARED_OSV, rel);
  return existsSync(p) ? false : `shared data absent: ${p} (real-data tests skipped)`;
}
