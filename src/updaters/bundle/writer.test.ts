/**
 * BundleWriter and the compression rules: only complete operations reach
 * the bundle, concurrent operations each stay whole, an empty operation
 * writes nothing, every compression reads back, and the compression of an
 * export follows the flags, then the suffix, then the zstd default.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import type { VulnerabilityRecord } from '../../model/index.js';
import { isClairError } from '../../lib/errors.js';
import { decompressedBundle, detectCompression, exportCompression, type BundleCompression } from './compression.js';
import { newOperationHeader } from './format.js';
import { readBundle } from './reader.js';
import { BundleWriter } from './writer.js';

const dir = mkdtempSync(join(tmpdir(), 'bundle-writer-test-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const record = (updater: string, i: number): VulnerabilityRecord => ({
  updater, name: `CVE-2026-${i}`, description: 'd'.repeat(i % 50), links: '', severity: '', normalizedSeverity: 'Low',
  package: { name: `pkg${i}`, version: '', module: '', arch: '', kind: 'binary' }, fixedInVersion: `1.${i}`, archOp: '',
});

async function* slowly(updater: string, n: number, failAt?: number): AsyncGenerator<VulnerabilityRecord> {
  for (let i = 0; i < n; i++) {
    if (i === failAt) throw new Error(`${updater}: feed broke at record ${i}`);
    if (i % 100 === 0) await new Promise((r) => setImmediate(r));
    yield record(updater, i);
  }
}

async function summary(file: string): Promise<Array<[string, number, string]>> {
  const out: Array<[string, number, string]> = [];
  const bytes = readFileSync(file);
  for await (const op of readBundle(decompressedBundle([bytes]))) {
    let n = 0;
    let last = '';
    for await (const r of op.records) {
      n++;
      last = (r as VulnerabilityRecord).name;
    }
    out.push([op.updater, n, last]);
  }
  return out.sort((a, b) => a[0].localeCompare(b[0]));
}

describe('BundleWriter', () => {
  for (const compression of ['zstd', 'gzip', 'none'] as const) {
    it(`keeps concurrent operations whole and leaves out a failed one and an empty one (${compression})`, async () => {
      const file = join(dir, `out-${compression}`);
      const writer = new BundleWriter({ out: createWriteStream(file), compression, tmpDir: dir });
      const results = await Promise.allSettled([
        writer.add(newOperationHeader('a', 'fa'), slowly('a', 2500)),
        writer.add(newOperationHeader('b', 'fb'), slowly('b', 3000, 2999)),
        writer.add(newOperationHeader('c', 'fc'), slowly('c', 1200)),
        writer.add(newOperationHeader('d', 'fd'), slowly('d', 0)),
      ]);
      await writer.close();
      assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
      assert.match(String((results[1] as PromiseRejectedResult).reason), /b: feed broke at record 2999/);
      assert.deepEqual(results.map((r) => (r.status === 'fulfilled' ? r.value.records : -1)), [2500, -1, 1200, 0]);
      assert.deepEqual(await summary(file), [['a', 2500, 'CVE-2026-2499'], ['c', 1200, 'CVE-2026-1199']]);
      assert.equal(detectCompression(readFileSync(file)), compression);
      assert.equal(writer.bytes, readFileSync(file).length);
      assert.deepEqual(readdirSync(dir).filter((f) => f.startsWith('clair-bundle-')), [], 'spool directory removed');
    });
  }

  it('fails the operation, not the process, when the output breaks (a closed pipe)', async () => {
    const out = new Writable({
      highWaterMark: 1024,
      write(_chunk, _enc, done) {
        setImmediate(() => done(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' })));
      },
    });
    const writer = new BundleWriter({ out, compression: 'none', tmpDir: dir, endOutput: false });
    await assert.rejects(writer.add(newOperationHeader('a', 'fa'), slowly('a', 500)), /write EPIPE/);
    await assert.rejects(writer.add(newOperationHeader('b', 'fb'), slowly('b', 10)), /write EPIPE|closed/);
    await writer.close().catch(() => {});
  });

  it('leaves standard output open when told to', async () => {
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (c: Buffer) => chunks.push(c));
    const writer = new BundleWriter({ out, compression: 'none', tmpDir: dir, endOutput: false });
    await writer.add(newOperationHeader('a', 'fa'), [record('a', 1)]);
    await writer.close();
    assert.equal(out.writableEnded, false);
    assert.match(Buffer.concat(chunks).toString(), /^\{"Updater":"a","Fingerprint":"fa","Date":"[^"]+","Kind":"vulnerability","Ref":"[0-9a-f-]{36}","Vuln":\{"id":"","updater":"a","name":"CVE-2026-1",/);
  });
});

describe('bundle compression rules', () => {
  it('export: flags first (-z wins), then the suffix, else zstd; a terminal gets plain JSON', () => {
    const cases: Array<[Parameters<typeof exportCompression>, BundleCompression]> = [
      [[{ zstd: true, gzip: true }, 'out.gz'], 'zstd'],
      [[{ gzip: true }, 'out.zst'], 'gzip'],
      [[{ zstd: true }, 'out.json'], 'zstd'],
      [[{}, 'out.zst'], 'zstd'],
      [[{}, 'out.gz'], 'gzip'],
      [[{}, 'out.json'], 'none'],
      [[{}, 'out.jsonl'], 'none'],
      [[{}, 'bundle'], 'zstd'],
      [[{}, 'bundle.tar'], 'zstd'],
      [[{}, '-'], 'zstd'],
      [[{}, '-', true], 'none'],
      [[{ gzip: true }, '-', true], 'gzip'],
    ];
    for (const [args, want] of cases) assert.equal(exportCompression(...args), want, JSON.stringify(args));
  });

  it('import: the data decides; a flag that contradicts it is a clear error', async () => {
    const read = async (data: Buffer, expected?: BundleCompression): Promise<string> => {
      let text = '';
      for await (const c of decompressedBundle([data], expected)) text += c.toString();
      return text;
    };
    assert.equal(await read(Buffer.from('{"a":1}\n'), undefined), '{"a":1}\n');
    assert.equal(await read(Buffer.alloc(0)), '');
    await assert.rejects(read(Buffer.from('{"Updater":"x"}\n'), 'zstd'), (err: unknown) => {
      assert.ok(isClairError(err, 'BUNDLE_FORMAT'));
      assert.equal((err as Error).message, '-z/--zstd was given but the data is not zstd-compressed (it starts with "{\\"Updater\\":\\"x\\"}\\n")');
      return true;
    });
    const { gzipSync } = await import('node:zlib');
    await assert.rejects(read(gzipSync('x'), 'zstd'), /^ClairError: -z\/--zstd was given but the data is gzip-compressed$/);
    assert.equal(await read(gzipSync('{"a":1}\n'), 'gzip'), '{"a":1}\n');
  });
});
