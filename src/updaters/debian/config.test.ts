import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isClairError } from '../../lib/errors.js';
import { DEFAULT_JSON_URL, DEFAULT_MIRROR_URL, parseDebianConfig } from './config.js';
import { debianSetFactory } from './index.js';

const refused = (key: string): ((err: unknown) => boolean) => (err) =>
  isClairError(err, 'CONFIG_INVALID') &&
  (err as Error).message === `config: updaters.config.debian.${key}: neither archive_url nor oval_url should be populated anymore; use json_url and mirror_url instead`;

describe('debian set config (claircore FactoryConfig)', () => {
  it('defaults to claircore’s mirror root and tracker, reading releases from <mirror>debian/dists/', () => {
    assert.equal(DEFAULT_MIRROR_URL, 'https://deb.debian.org/');
    assert.equal(DEFAULT_JSON_URL, 'https://security-tracker.debian.org/tracker/data/json');
    assert.deepEqual(parseDebianConfig(undefined), {
      config: { archiveUrl: 'https://deb.debian.org/debian/', distsUrl: 'https://deb.debian.org/debian/dists/', jsonUrl: DEFAULT_JSON_URL },
      lints: [],
    });
    assert.deepEqual(parseDebianConfig({ mirror_url: '', json_url: '', archive_url: '', oval_url: '' }), parseDebianConfig(undefined), 'empty strings are the defaults');
  });

  it('resolves debian/ against mirror_url as Go’s url.Parse does', () => {
    const dists = (mirror: string): string => parseDebianConfig({ mirror_url: mirror }).config.distsUrl;
    assert.equal(dists('https://m.example/'), 'https://m.example/debian/dists/');
    assert.equal(dists('https://m.example'), 'https://m.example/debian/dists/');
    assert.equal(dists('https://m.example/pub/'), 'https://m.example/pub/debian/dists/');
    assert.equal(dists('https://m.example/pub'), 'https://m.example/debian/dists/', 'no trailing slash: the last segment is replaced');
    assert.equal(dists('https://m.example/debian/'), 'https://m.example/debian/debian/dists/', 'mirror_url is the mirror root, not its debian/ directory');
    assert.deepEqual(parseDebianConfig({ mirror_url: 'https://m.example/pub' }).lints, [
      { path: 'updaters.config.debian.mirror_url', message: 'has no trailing slash, so "debian/" replaces its last segment (https://m.example/debian/), as in claircore; end it with "/" if it names a directory' },
    ]);
  });

  it('refuses a non-empty archive_url or oval_url with claircore’s reason, naming the key', () => {
    assert.throws(() => parseDebianConfig({ archive_url: 'https://archive.debian.org/debian/' }), refused('archive_url'));
    assert.throws(() => debianSetFactory.checkConfig({ oval_url: 'https://www.debian.org/security/oval/' }), refused('oval_url'));
  });

  it('refuses wrong types and non-http URLs, naming the key', () => {
    const invalid = (raw: unknown, message: string): void =>
      assert.throws(() => debianSetFactory.checkConfig(raw), (err) => isClairError(err, 'CONFIG_INVALID') && (err as Error).message === message);
    invalid({ json_url: 42 }, 'config: updaters.config.debian.json_url: must be a string, got number');
    invalid({ archive_url: false }, 'config: updaters.config.debian.archive_url: must be a string, got bool');
    invalid({ mirror_url: 'ftp://x/' }, 'config: updaters.config.debian.mirror_url: must be an http(s) URL, got "ftp://x/"');
    invalid(['x'], 'config: updaters.config.debian: must be a mapping, got array');
  });

  it('lints unknown keys and keys in another case, reading the latter as claircore does', () => {
    const { config, lints } = parseDebianConfig({ jsonurl: 'x', MIRROR_URL: 'http://m.local/' });
    assert.equal(config.distsUrl, 'http://m.local/debian/dists/');
    assert.deepEqual(lints, [
      { path: 'updaters.config.debian.jsonurl', message: 'unknown key, ignored (known: mirror_url, json_url, archive_url, oval_url)' },
      { path: 'updaters.config.debian.MIRROR_URL', message: 'read as "mirror_url" (claircore matches keys case-insensitively); write "mirror_url"' },
    ]);
  });
});
