import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { isClairError, type ErrorName } from '../lib/errors.js';
import { loadConfig, mergePatch, readConfigDocument } from './load.js';

const root = mkdtempSync(join(tmpdir(), 'clair-config-load-'));
after(() => rmSync(root, { recursive: true, force: true }));

let counter = 0;
/** Writes `files` (relative path → content) under a fresh directory and returns its path. */
function fixture(files: Record<string, string>): string {
  const dir = join(root, `case-${++counter}`);
  for (const [rel, content] of Object.entries(files)) {
    const full = join(dir, rel);
    mkdirSync(join(full, '..'), { recursive: true });
    writeFileSync(full, content);
  }
  return dir;
}

async function rejects(p: Promise<unknown>, name: ErrorName, re: RegExp): Promise<string> {
  let message = '';
  await assert.rejects(p, (err: unknown) => {
    assert.ok(isClairError(err, name), `expected ${name}, got ${String(err)}`);
    assert.match(err.message, re);
    message = err.message;
    return true;
  });
  return message;
}

const BASE_YAML = `---
log_level: debug-color
http_listen_addr: ":6060"
updaters:
  sets:
    - ubuntu
    - debian
indexer:
  connstring: host=db dbname=indexer
  migrations: true
matcher:
  indexer_addr: http://indexer:6060/
  period: 6h
matchers: {}
`;

describe('mergePatch (RFC 7386)', () => {
  test('merges objects, deletes on null, replaces lists and scalars', () => {
    const target = { a: 'b', c: { d: 'e', f: 'g' }, l: [1, 2] };
    assert.deepEqual(mergePatch(target, { a: 'z', c: { f: null, h: 1 }, l: [3] }), { a: 'z', c: { d: 'e', h: 1 }, l: [3] });
    assert.deepEqual(target, { a: 'b', c: { d: 'e', f: 'g' }, l: [1, 2] }, 'the target is not modified');
    // RFC 7386 appendix A examples.
    assert.deepEqual(mergePatch({ a: [{ b: 'c' }] }, { a: [1] }), { a: [1] });
    assert.deepEqual(mergePatch(['a', 'b'], ['c', 'd']), ['c', 'd']);
    assert.deepEqual(mergePatch({ a: 'b' }, ['c']), ['c']);
    assert.deepEqual(mergePatch({ e: null }, { a: 1 }), { e: null, a: 1 });
    assert.deepEqual(mergePatch([1, 2], { a: 'b', c: null }), { a: 'b' });
    assert.deepEqual(mergePatch({}, { a: { bb: { ccc: null } } }), { a: { bb: {} } });
  });

  test('a "__proto__" key is data, not a prototype', () => {
    const out = mergePatch({}, JSON.parse('{"__proto__": {"polluted": true}}')) as Record<string, unknown>;
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.ok(Object.hasOwn(out, '__proto__'));
  });
});

describe('drop-ins', () => {
  test('merge patches and JSON patches apply in lexical order; other files and subdirectories are skipped', async () => {
    const dir = fixture({
      'config.yaml': BASE_YAML,
      // Lexical order: 01 < 10 < 20 < 30 < 40 < sub.yaml (dir) < z.txt.
      'config.yaml.d/01-level.yaml': 'log_level: debug\nindexer:\n  migrations: null\n',
      'config.yaml.d/10-add.yaml-patch': '- op: add\n  path: /updaters/sets/-\n  value: osv\n',
      'config.yaml.d/20-level.yaml': 'log_level: warn\nmatcher:\n  period: 12h\n',
      'config.yaml.d/30-ignored.json-patch': '[ this is not even JSON',
      'config.yaml.d/40-ignored.yml': 'log_level: error\n',
      'config.yaml.d/sub.yaml/inner.yaml': 'log_level: panic\n',
      'config.yaml.d/z.txt': 'log_level: fatal\n',
    });
    const doc = await readConfigDocument(join(dir, 'config.yaml'));
    assert.deepEqual(doc, {
      log_level: 'warn',
      http_listen_addr: ':6060',
      updaters: { sets: ['ubuntu', 'debian', 'osv'] },
      indexer: { connstring: 'host=db dbname=indexer' },
      matcher: { indexer_addr: 'http://indexer:6060/', period: '12h' },
    });
  });

  test('order matters: a later merge patch replaces a list an earlier JSON patch extended', async () => {
    const dir = fixture({
      'config.yaml': BASE_YAML,
      'config.yaml.d/10-add.yaml-patch': '- op: add\n  path: /updaters/sets/-\n  value: osv\n',
      'config.yaml.d/20-sets.yaml': 'updaters:\n  sets: [rhel]\n',
      'config.yaml.d/30-add.yaml-patch': '- {op: add, path: /updaters/sets/-, value: alpine}\n',
    });
    const doc = (await readConfigDocument(join(dir, 'config.yaml'))) as { updaters: { sets: string[] } };
    assert.deepEqual(doc.updaters.sets, ['rhel', 'alpine']);
  });

  test('an empty drop-in changes nothing and a missing drop-in directory is fine', async () => {
    const withEmpty = fixture({ 'config.yaml': BASE_YAML, 'config.yaml.d/empty.yaml': '' });
    const without = fixture({ 'config.yaml': BASE_YAML });
    assert.deepEqual(await readConfigDocument(join(withEmpty, 'config.yaml')), await readConfigDocument(join(without, 'config.yaml')));
  });

  test('a link to a directory is skipped like a directory', async () => {
    const dir = fixture({ 'config.yaml': BASE_YAML, 'config.yaml.d/real/x.yaml': 'log_level: panic\n' });
    symlinkSync(join(dir, 'config.yaml.d/real'), join(dir, 'config.yaml.d/linked.yaml'));
    const doc = (await readConfigDocument(join(dir, 'config.yaml'))) as { log_level: string };
    assert.equal(doc.log_level, 'debug-color');
  });

  test('a JSON patch that does not apply names the drop-in and leaks no values', async () => {
    const dir = fixture({
      'config.yaml': `${BASE_YAML}auth:\n  psk:\n    key: c3VwZXJzZWNyZXQ=\n    iss: [quay]\n`,
      'config.yaml.d/patch.yaml-patch': '- op: remove\n  path: /notifier/webhook\n',
    });
    const message = await rejects(readConfigDocument(join(dir, 'config.yaml')), 'CONFIG_INVALID', /error applying patch ".*patch\.yaml-patch"/);
    assert.ok(!message.includes('c3VwZXJzZWNyZXQ='), message);
    assert.ok(!message.includes('\n'), 'one line');
  });

  test('a patch file that is not a list of operations is rejected', async () => {
    const dir = fixture({ 'config.yaml': BASE_YAML, 'config.yaml.d/p.yaml-patch': 'op: add\n' });
    await rejects(readConfigDocument(join(dir, 'config.yaml')), 'CONFIG_UNREADABLE', /not a patch document/);
  });

  test('a merge drop-in that is not a mapping is rejected', async () => {
    const dir = fixture({ 'config.yaml': BASE_YAML, 'config.yaml.d/m.yaml': '- a\n- b\n' });
    await rejects(readConfigDocument(join(dir, 'config.yaml')), 'CONFIG_UNREADABLE', /m\.yaml.*not a YAML mapping/);
  });

  test('unknown keys from a drop-in fail validation', async () => {
    const dir = fixture({ 'config.yaml': BASE_YAML, 'config.yaml.d/typo.yaml': 'indexer:\n  scanlock_retyr: 3\n' });
    await rejects(loadConfig(join(dir, 'config.yaml'), 'combo'), 'CONFIG_INVALID', /^config: indexer\.scanlock_retyr: unknown key/);
  });
});

describe('formats', () => {
  test('".yml" is rejected with a clear error', async () => {
    const dir = fixture({ 'config.yml': BASE_YAML });
    await rejects(readConfigDocument(join(dir, 'config.yml')), 'CONFIG_UNREADABLE', /unknown config kind "\.yml".*must end in \.yaml or \.json/);
  });

  test('other extensions are rejected', async () => {
    const dir = fixture({ 'config.toml': 'x = 1' });
    await rejects(readConfigDocument(join(dir, 'config.toml')), 'CONFIG_UNREADABLE', /unknown config kind "\.toml"/);
  });

  test('a JSON config with .json merge patches and .json-patch files', async () => {
    const dir = fixture({
      'config.json': JSON.stringify({
        http_listen_addr: ':7070',
        matcher: { indexer_addr: 'http://indexer/', period: '8h' },
        notifier: { poll_interval: '6h' },
      }),
      'config.json.d/a.json': JSON.stringify({ matcher: { period: null, cache_age: '2h' } }),
      'config.json.d/b.json-patch': JSON.stringify([{ op: 'replace', path: '/http_listen_addr', value: ':8080' }]),
      'config.json.d/c.yaml': 'log_level: panic\n',
      'config.json.d/d.yaml-patch': '- {op: add, path: /log_level, value: panic}\n',
    });
    const path = join(dir, 'config.json');
    assert.deepEqual(await readConfigDocument(path), {
      http_listen_addr: ':8080',
      matcher: { indexer_addr: 'http://indexer/', cache_age: '2h' },
      notifier: { poll_interval: '6h' },
    });
    const { config } = await loadConfig(path, 'matcher', { env: {} });
    assert.equal(config.http_listen_addr, ':8080');
    assert.equal(config.log_level, 'info');
    assert.equal(config.matcher.period, 6 * 3_600_000);
    assert.equal(config.matcher.cache_age, 2 * 3_600_000);
  });

  test('a JSON main file must be an object', async () => {
    const dir = fixture({ 'config.json': '[1, 2]' });
    await rejects(readConfigDocument(join(dir, 'config.json')), 'CONFIG_UNREADABLE', /not a JSON object/);
  });

  test('malformed YAML names the file', async () => {
    const dir = fixture({ 'config.yaml': 'indexer:\n  connstring: "unterminated\n' });
    await rejects(readConfigDocument(join(dir, 'config.yaml')), 'CONFIG_UNREADABLE', /malformed file ".*config\.yaml"/);
  });

  test('malformed JSON names the file', async () => {
    const dir = fixture({ 'config.json': '{"a": ' });
    await rejects(readConfigDocument(join(dir, 'config.json')), 'CONFIG_UNREADABLE', /malformed file ".*config\.json"/);
  });

  test('several YAML documents in one file are rejected', async () => {
    const dir = fixture({ 'config.yaml': 'log_level: info\n---\nlog_level: debug\n' });
    await rejects(readConfigDocument(join(dir, 'config.yaml')), 'CONFIG_UNREADABLE', /2 YAML documents/);
  });

  test('YAML merge keys work, as with yaml.v3', async () => {
    const dir = fixture({
      'config.yaml': 'x-db: &db\n  migrations: true\nindexer:\n  <<: *db\n  connstring: host=db\n',
    });
    const doc = (await readConfigDocument(join(dir, 'config.yaml'))) as { indexer: unknown };
    assert.deepEqual(doc.indexer, { migrations: true, connstring: 'host=db' });
  });

  test('a document nested too deep is refused, not a stack overflow (fuzz)', async () => {
    const deep = (n: number) => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`;
    const main = fixture({ 'config.json': `{"indexer":{"scanner":{"package":${deep(5000)}}}}` });
    await rejects(loadConfig(join(main, 'config.json'), 'combo', { env: {}, checkFiles: false }), 'CONFIG_UNREADABLE', /config\.json": values are nested more than 100 levels deep$/);
    const dropIn = fixture({ 'config.json': '{"log_level":"info"}', 'config.json.d/x.json': `{"b":${deep(5000)}}` });
    await rejects(readConfigDocument(join(dropIn, 'config.json')), 'CONFIG_UNREADABLE', /x\.json": values are nested more than 100 levels deep$/);
    const fine = fixture({ 'config.json': `{"indexer":{"scanner":{"package":${deep(90)}}}}` });
    await loadConfig(join(fine, 'config.json'), 'indexer', { env: {}, checkFiles: false });
  });

  test('a YAML alias inside its own anchor is refused, as yaml.v3 does (fuzz)', async () => {
    const dir = fixture({ 'config.yaml': 'log_level: info\nupdaters:\n  config: &c\n    osv: *c\n' });
    await rejects(readConfigDocument(join(dir, 'config.yaml')), 'CONFIG_UNREADABLE', /an alias refers to a node that contains it/);
    const patch = fixture({ 'config.yaml': 'log_level: info\n', 'config.yaml.d/p.yaml-patch': '- op: add\n  path: /x\n  value: &v [*v]\n' });
    await rejects(readConfigDocument(join(patch, 'config.yaml')), 'CONFIG_UNREADABLE', /p\.yaml-patch": an alias refers to a node that contains it/);
  });

  test('a missing file is unreadable', async () => {
    await rejects(readConfigDocument(join(root, 'nope', 'config.yaml')), 'CONFIG_UNREADABLE', /error reading file/);
  });
});

describe('the merged document', () => {
  test('an empty result is an error', async () => {
    const emptyFile = fixture({ 'config.yaml': '# nothing here\n' });
    await rejects(readConfigDocument(join(emptyFile, 'config.yaml')), 'CONFIG_INVALID', /empty document after merges/);
    const emptied = fixture({ 'config.yaml': 'log_level: info\n', 'config.yaml.d/x.yaml': 'log_level: null\n' });
    await rejects(readConfigDocument(join(emptied, 'config.yaml')), 'CONFIG_INVALID', /empty document after merges/);
  });

  test('nulls and empty plain blocks are dropped; presence blocks, empty lists and unknown keys are kept', async () => {
    const dir = fixture({
      'config.yaml': [
        'log_level: null',
        'matchers: {}',
        'updaters:',
        '  sets: []',
        'notifier:',
        '  webhook: {}',
        'auth:',
        '  psk: {}',
        'indexer:',
        '  scanner:',
        '    package:',
        '      rpm: {opt: null}',
        'mystery: null',
        '',
      ].join('\n'),
    });
    assert.deepEqual(await readConfigDocument(join(dir, 'config.yaml')), {
      updaters: { sets: [] },
      notifier: { webhook: {} },
      auth: { psk: {} },
      indexer: { scanner: { package: { rpm: { opt: null } } } },
      mystery: null,
    });
  });
});
