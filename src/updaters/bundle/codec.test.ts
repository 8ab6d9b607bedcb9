/**
 * The bundle codec against claircore's jsonblob format: a hand-written
 * bundle in Go's exact output (testdata/claircore-bundle.jsonl) reads into
 * the expected records and is written back byte for byte; records of every
 * shape survive a round trip; upstream's quirks (Go's zero time, null
 * package, ranges whose bounds differ in kind) read as claircore's store
 * reads them; and malformed input fails naming the line.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { compress as zstdCompress } from 'zstd-napi';
import type { VulnerabilityRecord } from '../../model/index.js';
import { isClairError } from '../../lib/errors.js';
import { decompressedBundle } from './compression.js';
import { type EnrichmentRecord, type OperationHeader, newOperationHeader } from './format.js';
import { readBundle } from './reader.js';
import { encodeOperation } from './writer.js';

const FIXTURE = readFileSync(new URL('./testdata/claircore-bundle.jsonl', import.meta.url), 'utf8');

interface ReadOperation {
  header: OperationHeader & { line: number };
  records: Array<VulnerabilityRecord | EnrichmentRecord>;
}

async function* chunks(data: string | Uint8Array, size = 7): AsyncGenerator<Uint8Array> {
  const bytes = typeof data === 'string' ? Buffer.from(data) : Buffer.from(data);
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

async function readAll(data: string | Uint8Array, chunkSize = 7): Promise<ReadOperation[]> {
  const out: ReadOperation[] = [];
  for await (const op of readBundle(decompressedBundle(chunks(data, chunkSize)))) {
    const records: Array<VulnerabilityRecord | EnrichmentRecord> = [];
    for await (const r of op.records) records.push(r);
    const { records: _, ...header } = op;
    out.push({ header, records });
  }
  return out;
}

async function writeAll(ops: ReadOperation[]): Promise<string> {
  let text = '';
  for (const op of ops) {
    const { line: _, ...header } = op.header;
    for await (const chunk of encodeOperation(header, op.records)) text += chunk;
  }
  return text;
}

/** Rejects with a BUNDLE_FORMAT error whose message matches `pattern`. */
async function assertFormatError(data: string | Uint8Array, pattern: RegExp): Promise<void> {
  await assert.rejects(readAll(data), (err: unknown) => {
    assert.ok(isClairError(err, 'BUNDLE_FORMAT'), `expected BUNDLE_FORMAT, got ${String(err)}`);
    assert.match((err as Error).message, pattern);
    return true;
  });
}

const ALPINE_319 = { did: 'alpine', name: 'Alpine Linux', version: '3.19', versionCodeName: '', versionId: '3.19', arch: '', cpe: '', prettyName: 'Alpine Linux v3.19' };
const RHEL_APPSTREAM = 'cpe:2.3:a:redhat:enterprise_linux:9:*:appstream:*:*:*:*:*';

describe('bundle codec: claircore jsonblob fixture', () => {
  it('reads each operation with its header and exact records', async () => {
    const ops = await readAll(FIXTURE);
    assert.deepEqual(ops.map((o) => o.header), [
      { updater: 'alpine-main-v3.19-updater', fingerprint: '"etag-1"', date: '2026-03-01T10:20:30.5Z', kind: 'vulnerability', ref: '3f1c2a4e-5b6d-4e7f-8a9b-0c1d2e3f4a5b', line: 1 },
      { updater: 'rhel-vex', fingerprint: 'something\\somethingelse\\2026-02-01T00:00:00Z\\6', date: '2026-03-01T10:21:00.25Z', kind: 'vulnerability', ref: '9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d', line: 3 },
      { updater: 'osv/PyPI', fingerprint: 'etag:"abc"', date: '2026-03-01T10:22:00Z', kind: 'vulnerability', ref: '0b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9', line: 5 },
      { updater: 'clair.cvss', fingerprint: '', date: '2026-03-01T10:23:00Z', kind: 'enrichment', ref: '7c6b5a49-3827-4161-9504-f3e2d1c0b9a8', line: 6 },
    ]);
    assert.deepEqual(ops[0]!.records, [
      {
        updater: 'alpine-main-v3.19-updater', name: 'CVE-2026-1111', description: '', links: 'https://security.alpinelinux.org/vuln/CVE-2026-1111', severity: '', normalizedSeverity: 'Unknown',
        package: { name: 'openssl', version: '', module: '', arch: '', kind: 'binary' }, distribution: ALPINE_319, fixedInVersion: '3.1.4-r1', archOp: '',
      },
      {
        updater: 'alpine-main-v3.19-updater', name: 'CVE-2026-2222', description: 'Ünïcödé: "quoted" — 漢字 🚀 <tag> & more\\path', issued: new Date('2026-01-02T03:04:05Z'), links: '', severity: 'High', normalizedSeverity: 'High',
        package: { name: 'musl', version: '', module: '', arch: '', kind: 'binary' }, distribution: ALPINE_319, fixedInVersion: '', archOp: '',
      },
    ]);
    assert.deepEqual(ops[1]!.records, [
      {
        updater: 'rhel-vex', name: 'CVE-2026-3333', description: 'A flaw was found in nodejs.', issued: new Date('2026-02-03T00:00:00Z'),
        links: 'https://access.redhat.com/security/cve/CVE-2026-3333 https://access.redhat.com/errata/RHSA-2026:1234', severity: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', normalizedSeverity: 'Critical',
        package: { name: 'nodejs', version: '', module: 'nodejs:18', arch: 'aarch64|ppc64le|s390x|x86_64', kind: 'binary' },
        repository: { name: RHEL_APPSTREAM, key: 'rhel-cpe-repository', uri: '' }, fixedInVersion: '1:18.20.4-1.module+el9.4.0+22090+d7e5e1d2', archOp: 'pattern match',
      },
      {
        updater: 'rhel-vex', name: 'CVE-2026-3333', description: 'A flaw was found in nodejs.', issued: new Date('2026-02-03T00:00:00Z'), links: 'https://access.redhat.com/security/cve/CVE-2026-3333', severity: '', normalizedSeverity: 'Unknown',
        package: { name: 'ubi9/nodejs-18', version: '', module: '', arch: '', kind: 'ancestry' }, repository: { name: RHEL_APPSTREAM, key: 'rhcc-container-repository', uri: '' }, fixedInVersion: '', archOp: '',
        range: { kind: 'rhctag', lower: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0], upper: [2147483647, 0, 0, 0, 0, 0, 0, 0, 0, 0] }, notVulnerable: true,
      },
    ]);
    assert.deepEqual(ops[2]!.records, [
      {
        updater: 'osv/PyPI', name: 'PYSEC-2026-1', description: 'Foo bar is broken', issued: new Date('2026-01-02T03:04:05.678Z'), links: 'https://example.com/advisory https://osv.dev/vulnerability/PYSEC-2026-1',
        severity: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', normalizedSeverity: 'Critical', package: { name: 'foo-bar-baz', version: '', module: '', arch: '', kind: 'binary' },
        repository: { name: 'pypi', key: '', uri: 'https://pypi.org/simple' }, fixedInVersion: 'fixed=1.2.3', archOp: 'not equals',
        range: { kind: 'semver', lower: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0], upper: [0, 1, 2, 3, 0, 0, 0, 0, 0, 0] },
      },
    ]);
    assert.deepEqual(ops[3]!.records, [{ tags: ['CVE-2026-1111', 'openssl'], enrichment: { baseScore: 9.8, vectorString: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' } }]);
  });

  it('writes the same records back byte for byte, in Go\'s key order', async () => {
    assert.equal(await writeAll(await readAll(FIXTURE)), FIXTURE);
  });

  it('reads the same bundle compressed with zstd (several frames) or gzip (several members)', async () => {
    const [first, ...rest] = FIXTURE.split(/(?<=\n)/);
    const zstd = Buffer.concat([zstdCompress(Buffer.from(first!)), zstdCompress(Buffer.from(rest.join('')))]);
    const gzip = Buffer.concat([gzipSync(first!), gzipSync(rest.join(''))]);
    const plain = await readAll(FIXTURE);
    assert.deepEqual(await readAll(zstd, 5), plain);
    assert.deepEqual(await readAll(gzip, 1000), plain);
  });
});

describe('bundle codec: round trip', () => {
  const base: VulnerabilityRecord = {
    updater: 'u', name: 'CVE-1', description: '', links: '', severity: '', normalizedSeverity: 'Unknown',
    package: { name: 'p', version: '', module: '', arch: '', kind: '' }, fixedInVersion: '', archOp: '',
  };
  const shapes: VulnerabilityRecord[] = [
    base,
    { ...base, name: 'with everything', description: 'line1\nline2\ttab "q" \u0001 \u2028 é 中 😀', issued: new Date('2025-12-31T23:59:59.999Z'), links: 'a b', severity: 'Important', normalizedSeverity: 'High',
      package: { name: 'kernel', version: '5.14.0-1', module: 'm:1', arch: 'x86_64', kind: 'source' },
      distribution: { did: 'rhel', name: 'Red Hat Enterprise Linux', version: '9', versionCodeName: 'Plow', versionId: '9', arch: 'x86_64', cpe: 'cpe:2.3:o:redhat:enterprise_linux:9:*:*:*:*:*:*:*', prettyName: 'RHEL 9' },
      repository: { name: 'r', key: 'k', uri: 'https://u' }, fixedInVersion: '0:5.14.0-2', archOp: 'equals' },
    { ...base, archOp: 'not equals', package: { ...base.package, kind: 'binary' }, range: { kind: 'pep440', lower: [0, 1, 0, 0, 0, 0, 0, 0, 0, 0], upper: [-1, 2147483647, -2147483648, 3, 4, 5, 6, 7, 8, 9] } },
    { ...base, archOp: 'pattern match', package: { ...base.package, kind: 'ancestry' }, notVulnerable: true, range: { kind: 'rhctag', lower: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0], upper: [9, 0, 0, 0, 0, 0, 0, 0, 0, 0] } },
    { ...base, repository: { name: '', key: '', uri: '' }, distribution: { did: '', name: '', version: '', versionCodeName: '', versionId: '', arch: '', cpe: '', prettyName: '' } },
    { ...base, name: 'GHSA-aaaa-bbbb-cccc', self: { space: 'GHSA', name: 'aaaa-bbbb-cccc' }, aliases: [{ space: 'CVE', name: '2024-1' }, { space: 'https://access.redhat.com/security/cve/', name: 'CVE-2024-1' }] },
  ];

  it('keeps every field of records of every shape', async () => {
    const header = newOperationHeader('u', 'fp', 'vulnerability', new Date('2026-01-01T00:00:00.001Z'));
    assert.equal(header.date, '2026-01-01T00:00:00.001Z');
    let text = '';
    for await (const chunk of encodeOperation(header, shapes)) text += chunk;
    assert.equal(text.split('\n').length, shapes.length + 1);
    const [op] = await readAll(text, 3);
    assert.deepEqual(op!.header, { ...header, line: 1 });
    assert.deepEqual(op!.records, shapes);
  });

  it('writes no line for an operation without records, as upstream', async () => {
    const out: string[] = [];
    for await (const chunk of encodeOperation(newOperationHeader('u', 'fp'), [])) out.push(chunk);
    assert.deepEqual(out, []);
  });
});

describe('bundle codec: upstream quirks', () => {
  const line = (vuln: object, extra: object = {}) =>
    `${JSON.stringify({ Updater: 'u', Fingerprint: 'f', Date: '2026-01-01T00:00:00.123456789-05:00', Kind: 'vulnerability', Ref: '3F1C2A4E5B6D4E7F8A9B0C1D2E3F4A5B', ...extra, Vuln: vuln })}\n`;

  it('reads null package, Go zero time, unknown kinds, "invalid" arch op, a repository CPE and mixed-kind ranges as claircore\'s store does', async () => {
    const text = [
      line({ name: 'A', package: null, issued: '0001-01-01T00:00:00Z', arch_op: 'invalid', range: { '[': 'semver:1.0.0.0.0.0.0.0.0.0', ')': 'pep440:2.0.0.0.0.0.0.0.0.0' } }),
      line({ name: 'B', package: { name: 'p', kind: 'unknown', source: { name: 'src' }, cpe: 'cpe:2.3:a:x:y:1:*:*:*:*:*:*:*' }, repository: { id: '7', name: 'r', cpe: 'cpe:2.3:o:redhat:enterprise_linux:9:*:*:*:*:*:*:*' }, range: { ')': 'semver:1.0' } }),
      '\n   \n',
      line({ name: 'C', range: { '[': 'semver:1.2', ')': 'semver:3' }, Self: { space: '', name: '' }, Aliases: [{ space: 'CVE', name: '2026-1' }, { space: 'GHSA', name: '' }] }),
    ].join('');
    const [op] = await readAll(text);
    assert.equal(op!.header.ref, '3f1c2a4e5b6d4e7f8a9b0c1d2e3f4a5b');
    const plain = { updater: '', description: '', links: '', severity: '', normalizedSeverity: 'Unknown', fixedInVersion: '', archOp: '' };
    assert.deepEqual(op!.records, [
      { ...plain, name: 'A', package: { name: '', version: '', module: '', arch: '', kind: '' } },
      { ...plain, name: 'B', package: { name: 'p', version: '', module: '', arch: '', kind: '' }, repository: { name: 'r', key: '', uri: '' } },
      { ...plain, name: 'C', package: { name: '', version: '', module: '', arch: '', kind: '' }, range: { kind: 'semver', lower: [1, 2, 0, 0, 0, 0, 0, 0, 0, 0], upper: [3, 0, 0, 0, 0, 0, 0, 0, 0, 0] }, aliases: [{ space: 'CVE', name: '2026-1' }] },
    ]);
  });

  it('skips what a consumer leaves unread and carries on with the next operation', async () => {
    const ops: string[] = [];
    const text = FIXTURE;
    for await (const op of readBundle(chunks(text))) {
      ops.push(op.updater);
      if (op.updater === 'alpine-main-v3.19-updater') {
        for await (const _ of op.records) break; // one record, then stop
      }
    }
    assert.deepEqual(ops, ['alpine-main-v3.19-updater', 'rhel-vex', 'osv/PyPI', 'clair.cvss']);
  });

  it('refuses an operation\'s records read after the next operation was requested', async () => {
    const bundle = readBundle(chunks(FIXTURE));
    const first = (await bundle.next()).value!;
    await bundle.next();
    await assert.rejects(async () => {
      for await (const _ of first.records);
    }, /records of the operation at line 1 were read after the next operation was requested/);
  });
});

describe('bundle codec: malformed input names the line', () => {
  const good = FIXTURE.split('\n')[0]!;
  const edit = (f: (o: Record<string, unknown>) => void): string => {
    const o = JSON.parse(good) as Record<string, unknown>;
    f(o);
    return JSON.stringify(o);
  };

  it('a line that is not JSON', async () => {
    await assertFormatError(`${good}\n{"Updater": "x",\n${good}\n`, /^bundle line 2: not JSON/);
  });

  it('a line that is JSON but not an object', async () => {
    await assertFormatError(`${good}\n\n[1, 2]\n`, /^bundle line 3: expected a JSON object/);
  });

  it('a missing Ref, Updater or Date, or a Ref that is not a UUID', async () => {
    await assertFormatError(`${good}\n${edit((o) => delete o.Ref)}\n`, /^bundle line 2: missing "Ref"/);
    await assertFormatError(edit((o) => delete o.Updater), /^bundle line 1: missing "Updater"/);
    await assertFormatError(edit((o) => (o.Date = 'yesterday')), /^bundle line 1: "Date" is not an RFC 3339 time: "yesterday"/);
    await assertFormatError(edit((o) => (o.Ref = 'op-1')), /^bundle line 1: "Ref" is not a UUID: "op-1"/);
  });

  it('an unknown Kind, or a record without its payload', async () => {
    await assertFormatError(edit((o) => (o.Kind = 'vulnerabilities')), /^bundle line 1: unknown "Kind" "vulnerabilities"/);
    await assertFormatError(edit((o) => delete o.Vuln), /^bundle line 1: a vulnerability line without "Vuln"/);
  });

  it('a field of the wrong type or value, named by its JSON path', async () => {
    await assertFormatError(`${good}\n${edit((o) => ((o.Vuln as Record<string, unknown>).name = 7))}\n`, /^bundle line 2: Vuln\.name: expected a string, got number 7/);
    await assertFormatError(edit((o) => ((o.Vuln as Record<string, unknown>).normalized_severity = 'Severe')), /^bundle line 1: Vuln\.normalized_severity: unknown severity "Severe"/);
    await assertFormatError(edit((o) => ((o.Vuln as Record<string, unknown>).issued = 'soon')), /^bundle line 1: Vuln\.issued: not an RFC 3339 time/);
    await assertFormatError(edit((o) => ((o.Vuln as Record<string, unknown>).range = { '[': 'semver:1.x', ')': 'semver:2' })), /^bundle line 1: Vuln\.range\["\["\]: version component "x" is not a 32-bit integer/);
    await assertFormatError(edit((o) => ((o.Vuln as Record<string, unknown>).arch_op = 'greater')), /^bundle line 1: Vuln\.arch_op: unknown arch operation "greater"/);
  });

  it('lines of one operation that disagree, or an operation whose lines are not consecutive', async () => {
    await assertFormatError(`${good}\n${edit((o) => (o.Fingerprint = 'other'))}\n`, /^bundle line 2: "Fingerprint" "other" differs from "\\"etag-1\\"" on line 1 of the same operation/);
    const other = edit((o) => (o.Ref = '00000000-0000-4000-8000-000000000000'));
    await assertFormatError(`${good}\n${other}\n${good}\n`, /^bundle line 3: "Ref" 3f1c2a4e-5b6d-4e7f-8a9b-0c1d2e3f4a5b comes back after other operations/);
  });

  it('truncated zstd or gzip data, naming the last complete line', async () => {
    // Large enough for several zstd blocks, so some lines decode before the cut.
    const [line1, line2] = FIXTURE.split('\n');
    const big = `${`${line1}\n${line2}\n`.repeat(1000)}${FIXTURE}`;
    const zstd = zstdCompress(Buffer.from(big));
    await assertFormatError(zstd.subarray(0, zstd.length - 20), /^bundle: after line \d+: zstd data is truncated or corrupt \(Stream ended in middle of compressed data frame\)/);
    const gzip = gzipSync(big);
    await assertFormatError(gzip.subarray(0, gzip.length - 20), /^bundle: after line \d+: gzip data is truncated or corrupt/);
    await assertFormatError(Buffer.concat([zstd.subarray(0, 4), Buffer.from('garbage that is not a frame')]), /^bundle: before the first line: zstd data is truncated or corrupt/);
  });

  it('a line longer than the cap', async () => {
    const ops = readBundle(chunks(`${good}\n${'x'.repeat(good.length + 11)}\n`, 64), { maxLineBytes: good.length + 10 });
    await assert.rejects(async () => {
      for await (const op of ops) for await (const _ of op.records);
    }, /^ClairError: bundle line 2: longer than \d+ bytes; this is not an updater bundle/);
  });
});
