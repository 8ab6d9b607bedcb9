import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isClairError } from '../../../lib/errors.js';
import { parseChallenges } from './challenge.js';
import { choosePlatform, parsePlatform } from './platform.js';
import { formatReference, parseReference, registryScheme } from './reference.js';

const DIGEST = `sha256:${'a'.repeat(64)}`;

describe('registry references', () => {
  it('parse as go-containerregistry does', () => {
    const cases: Array<[string, string]> = [
      ['alpine', 'index.docker.io/library/alpine:latest'],
      ['alpine:3.19', 'index.docker.io/library/alpine:3.19'],
      ['docker.io/library/alpine', 'index.docker.io/library/alpine:latest'],
      ['someone/tool:v1', 'index.docker.io/someone/tool:v1'],
      ['quay.io/org/app:1.2.3', 'quay.io/org/app:1.2.3'],
      ['registry:5000/app', 'registry:5000/app:latest'],
      ['localhost/app', 'localhost/app:latest'],
      ['localhost:5000/a/b/c:x', 'localhost:5000/a/b/c:x'],
      [`quay.io/org/app@${DIGEST}`, `quay.io/org/app@${DIGEST}`],
      [`quay.io/org/app:1.0@${DIGEST}`, `quay.io/org/app@${DIGEST}`],
      ['[::1]:5000/app:v', '[::1]:5000/app:v'],
    ];
    for (const [text, canonical] of cases) assert.equal(formatReference(parseReference(text)), canonical, text);
  });

  it('refuse malformed ones, naming the part', () => {
    const cases: Array<[string, RegExp]> = [
      ['', /it is empty/],
      ['alpine:', /no tag after the colon/],
      ['Alpine', /repository "Alpine" may only hold lower-case/],
      ['a', /must be 2 to 255 characters/],
      ['quay.io/org//app', /empty path component/],
      ['app:bad/tag!', /registry "app:bad" is not a host\[:port\]/],
      ['app:t!g', /tag "t!g" may only hold/],
      ['app@sha256:123', /digest "sha256:123" is not 64 lower-case hex/],
      ['app@md5:1', /digest algorithm "md5" is not supported/],
      ['bad_host.io:x:y/app', /registry "bad_host.io:x:y" is not a host\[:port\]/],
    ];
    for (const [text, message] of cases) {
      assert.throws(() => parseReference(text), (err) => isClairError(err, 'IMAGE_REFERENCE') && message.test(err.message), text);
    }
  });

  it('pick http for the registries go-containerregistry treats as local', () => {
    for (const host of ['localhost:5000', '127.0.0.1:5000', '10.1.2.3', '172.20.0.1:80', '192.168.1.1:5000', 'box.local', 'box.localhost:5000', '[::1]:5000']) {
      assert.equal(registryScheme(host, false), 'http', host);
    }
    for (const host of ['quay.io', 'index.docker.io', 'localhost', '172.32.0.1', '11.0.0.1', 'local.example.com']) {
      assert.equal(registryScheme(host, false), 'https', host);
    }
    assert.equal(registryScheme('quay.io', true), 'http');
  });
});

describe('platforms', () => {
  it('parse os/arch[/variant] and refuse anything else', () => {
    assert.deepEqual(parsePlatform('linux/arm64/v8'), { os: 'linux', architecture: 'arm64', variant: 'v8' });
    assert.deepEqual(parsePlatform('linux/amd64'), { os: 'linux', architecture: 'amd64', variant: undefined });
    for (const bad of ['linux', 'linux/', 'Linux/AMD64', 'a/b/c/d']) assert.throws(() => parsePlatform(bad), (err) => isClairError(err, 'IMAGE_REFERENCE'), bad);
  });

  it('match on os and architecture, and on variant only when asked', () => {
    const entries = [
      { id: 1, platform: { os: 'linux', architecture: 'arm', variant: 'v6' } },
      { id: 2, platform: { os: 'linux', architecture: 'arm', variant: 'v7' } },
      { id: 3, platform: undefined },
    ];
    assert.equal(choosePlatform(entries, parsePlatform('linux/arm'), 'x').id, 1);
    assert.equal(choosePlatform(entries, parsePlatform('linux/arm/v7'), 'x').id, 2);
    assert.throws(
      () => choosePlatform(entries, parsePlatform('linux/arm/v5'), 'img'),
      (err) => isClairError(err, 'IMAGE_NOT_FOUND') && err.message === 'img has no image for platform linux/arm/v5; available: linux/arm/v6, linux/arm/v7, unspecified (choose one with --platform)',
    );
  });
});

describe('WWW-Authenticate challenges', () => {
  it('parse Bearer and Basic challenges with quoted and bare parameters', () => {
    assert.deepEqual(parseChallenges('Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/alpine:pull"'), [
      { scheme: 'bearer', params: { realm: 'https://auth.docker.io/token', service: 'registry.docker.io', scope: 'repository:library/alpine:pull' } },
    ]);
    assert.deepEqual(parseChallenges('Basic realm="Registry Realm", Bearer realm=https://x/t, error=insufficient_scope'), [
      { scheme: 'basic', params: { realm: 'Registry Realm' } },
      { scheme: 'bearer', params: { realm: 'https://x/t', error: 'insufficient_scope' } },
    ]);
    assert.deepEqual(parseChallenges('Bearer realm="a \\"quoted\\" realm"'), [{ scheme: 'bearer', params: { realm: 'a "quoted" realm' } }]);
    assert.deepEqual(parseChallenges(''), []);
  });
});
