import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isClairError } from '../lib/errors.js';
import { ConfigBlock, jsonKind } from './config-block.js';
import { joinPath, withPath } from './go-url.js';

const fails = (message: string) => (err: unknown): boolean => isClairError(err, 'CONFIG_INVALID') && (err as Error).message === message;

describe('ConfigBlock (claircore decodes blocks with json.Unmarshal)', () => {
  it('treats an absent or null block as empty and refuses anything but a mapping', () => {
    assert.equal(new ConfigBlock('s', undefined, ['url']).has('url'), false);
    assert.equal(new ConfigBlock('s', null, ['url']).string('url'), undefined);
    assert.throws(() => new ConfigBlock('s', [], ['url']), fails('config: updaters.config.s: must be a mapping, got array'));
    assert.throws(() => new ConfigBlock('s', 3, ['url']), fails('config: updaters.config.s: must be a mapping, got number'));
  });

  it('reads null values as absent and empty strings as "use the default"', () => {
    const c = new ConfigBlock('s', { url: null, name: '' }, ['url', 'name']);
    assert.equal(c.url('url'), undefined);
    assert.equal(c.text('name'), undefined);
    assert.equal(c.string('name'), '');
    assert.deepEqual(c.lints, []);
  });

  it('matches keys case-insensitively when no exact key exists, last one winning, with a lint', () => {
    const c = new ConfigBlock('s', { URL: 'http://a/', Url: 'http://b/' }, ['url']);
    assert.equal(c.url('url'), 'http://b/');
    assert.deepEqual(c.lints.map((l) => l.path), ['updaters.config.s.URL', 'updaters.config.s.Url']);
  });

  it('names the key and the JSON type in type errors', () => {
    const c = new ConfigBlock('s', { a: 1, b: 'x', c: [1], d: { e: 1 }, f: 1.5 }, ['a', 'b', 'c', 'd', 'f']);
    assert.throws(() => c.string('a'), fails('config: updaters.config.s.a: must be a string, got number'));
    assert.throws(() => c.boolean('b'), fails('config: updaters.config.s.b: must be a boolean, got string'));
    assert.throws(() => c.strings('c'), fails('config: updaters.config.s.c[0]: must be a string, got number'));
    assert.throws(() => c.list('d'), fails('config: updaters.config.s.d: must be a list, got object'));
    assert.throws(() => c.integer('f'), fails('config: updaters.config.s.f: must be an integer, got 1.5'));
    assert.throws(() => c.url('b'), fails('config: updaters.config.s.b: not an absolute URL: "x"'));
    assert.deepEqual([null, true, 1, 'x', [], {}].map(jsonKind), ['null', 'bool', 'number', 'string', 'array', 'object']);
  });

  it('refuses a forbidden key only when set, and lints an ignored one only when present', () => {
    const c = new ConfigBlock('s', { old: '', gone: ['x'] }, ['old', 'gone', 'other']);
    c.forbid('old', 'no');
    c.ignored('gone', 'unused');
    c.ignored('other', 'unused');
    assert.deepEqual(c.lints, [{ path: 'updaters.config.s.gone', message: 'unused' }]);
    assert.throws(() => new ConfigBlock('s', { old: 'x' }, ['old']).forbid('old', 'no'), fails('config: updaters.config.s.old: no'));
  });
});

describe('Go URL helpers', () => {
  it('joinPath keeps the base’s last segment, cleans the result and keeps query and trailing slash rules', () => {
    assert.equal(joinPath('https://h/osv', 'PyPI', 'all.zip').href, 'https://h/osv/PyPI/all.zip');
    assert.equal(joinPath('https://h/osv/', 'PyPI', 'all.zip').href, 'https://h/osv/PyPI/all.zip');
    assert.equal(joinPath('https://h', 'GitHub Actions', 'all.zip').href, 'https://h/GitHub%20Actions/all.zip');
    assert.equal(joinPath('https://h/a/?x=1', 'b/').href, 'https://h/a/b/?x=1');
    assert.equal(joinPath('https://h/a/', '../b').href, 'https://h/b');
  });

  it('withPath replaces the whole path', () => {
    assert.equal(withPath('https://h/osv/sub/?q=1', '/ecosystems.txt').href, 'https://h/ecosystems.txt?q=1');
  });
});
