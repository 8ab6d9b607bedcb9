/**
 * @module A conformance suite every OVAL rpminfo updater (Oracle, SUSE,
 * Photon) runs against a loopback copy of its upstream layout: fetch and
 * parse, conditional re-fetch, server errors, truncated downloads and
 * malformed XML. Also the small helpers those tests share.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { createHttpClient } from '../../lib/http-client.js';
import { isClairError } from '../../lib/errors.js';
import { createLogger } from '../../lib/logger.js';
import type { VulnerabilityRecord } from '../../model/index.js';
import { collect, startFeedServer, type FeedServer } from '../../test-support/feed-server.js';
import type { SetContext, Updater, UpdaterContext } from '../updater.js';

/** Per-test bound: a hung download or parse fails the test instead of the run. */
export const TEST_TIMEOUT_MS = 10_000; // 10 seconds

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** `<repo>/../shared/data/<parts>`, or `undefined` when the shared data is not on this machine. */
export function sharedData(...parts: string[]): string | undefined {
  const path = resolve(REPO_ROOT, '..', 'shared', 'data', ...parts);
  return existsSync(path) ? path : undefined;
}

/** A test file's path, relative to `src/updaters/`. */
export function testdata(relative: string): string {
  return fileURLToPath(new URL(`../${relative}`, import.meta.url));
}

const log = createLogger(process.env['CLAIR_TEST_LOG'] ? 'debug' : 'silent');
const http = createHttpClient({ timeoutMs: 5_000 }); // 5 s: loopback answers at once

/** An updater context over a fresh temporary directory. */
export async function updaterContext(): Promise<UpdaterContext & { cleanup(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'clair-oval-test-'));
  return { dir, http, signal: AbortSignal.timeout(TEST_TIMEOUT_MS), log, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** A set-factory context with `config`. */
export function setContext(config: unknown): SetContext {
  return { http, signal: AbortSignal.timeout(TEST_TIMEOUT_MS), log, config };
}

/** Fetches (expecting a change) and parses everything. */
export async function fetchAndParse(updater: Updater, previous?: string): Promise<{ fingerprint: string; records: VulnerabilityRecord[] }> {
  const ctx = await updaterContext();
  try {
    const outcome = await updater.fetch(ctx, previous);
    assert.equal(outcome.unchanged, false);
    return { fingerprint: outcome.unchanged ? '' : outcome.fingerprint, records: await collect(updater.parse(ctx)) };
  } finally {
    await ctx.cleanup();
  }
}

/** A broken document: a `<definition>` closed by `</definitions>` on line 2 (sax counts lines from 0). */
export const MALFORMED_OVAL = '<oval_definitions><definitions><definition id="x">\n</definitions></oval_definitions>';

/** One vendor's inputs to the shared suite. */
export interface OvalUpdaterCase {
  /** Suite title, e.g. the updater name. */
  title: string;
  /** Where upstream serves the file, relative to the server root (`security/oval/com.oracle.elsa-2023.xml.bz2`). */
  path: string;
  /** The document, compressed as upstream serves it. */
  body: Uint8Array;
  /** `MALFORMED_OVAL`, compressed the same way. */
  malformed: Uint8Array;
  /** Records `body` parses to. */
  expectedRecords: number;
  /** The updater under test, with its URLs under `server.url`. */
  updater(server: FeedServer): Updater | Promise<Updater>;
}

/** Registers the shared updater behaviour tests for one vendor. */
export function runOvalUpdaterCases(c: OvalUpdaterCase): void {
  describe(`${c.title}: shared OVAL updater behaviour`, () => {
    let server: FeedServer;
    const lastModified = new Date('2024-03-04T05:06:07Z');
    before(async () => {
      server = await startFeedServer();
    });
    after(() => server.close());

    it('fetches, fingerprints as {Etag, Date} JSON and parses the document', { timeout: TEST_TIMEOUT_MS }, async () => {
      server.routes.set(`/${c.path}`, { body: c.body, etag: '"v1"', lastModified });
      const { fingerprint, records } = await fetchAndParse(await c.updater(server));
      assert.equal(fingerprint, JSON.stringify({ Etag: '"v1"', Date: lastModified.toUTCString() }));
      assert.equal(records.length, c.expectedRecords);
    });

    it('reports unchanged when the server answers the conditional request with 304', { timeout: TEST_TIMEOUT_MS }, async () => {
      server.routes.set(`/${c.path}`, { body: c.body, etag: '"v1"', lastModified });
      const ctx = await updaterContext();
      try {
        const previous = JSON.stringify({ Etag: '"v1"', Date: lastModified.toUTCString() });
        assert.deepEqual(await (await c.updater(server)).fetch(ctx, previous), { unchanged: true });
        const request = server.requests.at(-1);
        assert.equal(request?.headers['if-none-match'], '"v1"');
        assert.equal(request?.headers['if-modified-since'], lastModified.toUTCString());
      } finally {
        await ctx.cleanup();
      }
    });

    it('fails with a catalogued error naming the URL and status on a 500', { timeout: TEST_TIMEOUT_MS }, async () => {
      server.routes.set(`/${c.path}`, { body: c.body, failFirst: [500] });
      const ctx = await updaterContext();
      try {
        await assert.rejects((await c.updater(server)).fetch(ctx, undefined), (err: unknown) => {
          assert.ok(isClairError(err, 'UPDATER_FETCH'), String(err));
          assert.match(err.message, new RegExp(`${server.url}${c.path.replace(/[.+]/g, '\\$&')} answered 500`));
          return true;
        });
      } finally {
        await ctx.cleanup();
      }
    });

    it('rejects, without hanging, when the download is cut short', { timeout: TEST_TIMEOUT_MS }, async () => {
      server.routes.set(`/${c.path}`, { body: c.body, truncateAt: Math.floor(c.body.length / 2) });
      const ctx = await updaterContext();
      try {
        await assert.rejects((await c.updater(server)).fetch(ctx, undefined), (err: unknown) => isClairError(err, 'UPDATER_FETCH'));
      } finally {
        await ctx.cleanup();
      }
    });

    it('rejects malformed XML with a parse error naming the position', { timeout: TEST_TIMEOUT_MS }, async () => {
      server.routes.set(`/${c.path}`, { body: c.malformed });
      const ctx = await updaterContext();
      try {
        const updater = await c.updater(server);
        assert.equal((await updater.fetch(ctx, undefined)).unchanged, false);
        await assert.rejects(collect(updater.parse(ctx)), (err: unknown) => {
          assert.ok(isClairError(err, 'UPDATER_PARSE'), String(err));
          assert.match(err.message, new RegExp(`^${updater.name}: malformed XML in oval\\.xml: .*Line: 1`));
          return true;
        });
      } finally {
        await ctx.cleanup();
      }
    });
  });
}
