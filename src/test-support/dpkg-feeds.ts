/**
 * @module Test helpers for the Debian and Ubuntu updater tests (never
 * imported by production code): feed-server routes for a directory tree, and
 * a fresh updater context with its own temporary directory.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { createHttpClient } from '../lib/http-client.js';
import { quietLogger } from './config.js';
import type { FeedRoute } from './feed-server.js';
import type { UpdaterContext } from '../updaters/updater.js';

/**
 * Routes serving every file under `root` at `prefix + relative path`; an
 * `index.html` is also served at its directory's path (`dists/`), as a web
 * server's directory listing would be.
 */
export async function treeRoutes(root: string, prefix: string, extra: Partial<FeedRoute> = {}): Promise<Record<string, FeedRoute>> {
  const routes: Record<string, FeedRoute> = {};
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  for (const e of entries) {
    if (!e.isFile()) continue;
    const file = join(e.parentPath, e.name);
    const path = prefix + relative(root, file).split(sep).join('/');
    const route: FeedRoute = { body: { file }, contentType: e.name.endsWith('.html') ? 'text/html' : 'text/plain', ...extra };
    routes[path] = route;
    if (e.name === 'index.html') routes[path.slice(0, -'index.html'.length)] = route;
  }
  return routes;
}

/** A fresh updater context; `cleanup` removes its directory. */
export async function testContext(timeoutMs = 30_000): Promise<UpdaterContext & { cleanup(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'clair-dpkg-updater-test-'));
  return {
    dir,
    http: createHttpClient({ timeoutMs }),
    signal: AbortSignal.timeout(timeoutMs),
    log: quietLogger(),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}
