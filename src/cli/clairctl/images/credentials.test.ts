import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmod } from 'node:fs/promises';
import { join } from 'node:path';
import { isClairError } from '../../../lib/errors.js';
import { authFilePath, resolveCredentials } from './credentials.js';
import { tempDir, writeDirectory } from '../../../test-support/image-archives.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');

describe('registry credentials', () => {
  it('come from one auth file: DOCKER_CONFIG (or ~/.docker), else REGISTRY_AUTH_FILE, else XDG_RUNTIME_DIR', async (t) => {
    const dir = await tempDir(t);
    await writeDirectory(dir, [
      { name: 'home/.docker/config.json', data: '{}' },
      { name: 'dc/config.json', data: '{}' },
      { name: 'podman.json', data: '{}' },
      { name: 'run/containers/auth.json', data: '{}' },
    ]);
    const env = { HOME: join(dir, 'home'), DOCKER_CONFIG: join(dir, 'dc'), REGISTRY_AUTH_FILE: join(dir, 'podman.json'), XDG_RUNTIME_DIR: join(dir, 'run') };
    assert.equal(authFilePath(env), join(dir, 'dc/config.json'));
    assert.equal(authFilePath({ ...env, DOCKER_CONFIG: undefined }), join(dir, 'home/.docker/config.json'));
    assert.equal(authFilePath({ ...env, DOCKER_CONFIG: join(dir, 'none'), HOME: join(dir, 'none') }), join(dir, 'podman.json'));
    assert.equal(authFilePath({ ...env, DOCKER_CONFIG: join(dir, 'none'), REGISTRY_AUTH_FILE: undefined }), join(dir, 'run/containers/auth.json'));
    assert.equal(authFilePath({ HOME: join(dir, 'none') }), undefined);
  });

  it('read auth, username/password, identitytoken and registrytoken entries, matching keys by host', async (t) => {
    const dir = await tempDir(t);
    const file = join(dir, 'config.json');
    await writeDirectory(dir, [
      {
        name: 'config.json',
        data: JSON.stringify({
          auths: {
            'https://index.docker.io/v1/': { auth: b64('hubuser:pa:ss') },
            'https://quay.io/v2/': { username: 'q', password: 'p' },
            'ghcr.io': { identitytoken: 'refresh-me' },
            'reg.example:5000': { registrytoken: 'bearer-me' },
            'empty.example': {},
          },
        }),
      },
    ]);
    const env = { DOCKER_CONFIG: dir };
    assert.deepEqual(await resolveCredentials('index.docker.io', env), {
      username: 'hubuser',
      password: 'pa:ss',
      identityToken: undefined,
      registryToken: undefined,
      source: `${file} (auths["https://index.docker.io/v1/"])`,
    });
    assert.equal((await resolveCredentials('quay.io', env))?.username, 'q');
    assert.equal((await resolveCredentials('ghcr.io', env))?.identityToken, 'refresh-me');
    assert.equal((await resolveCredentials('reg.example:5000', env))?.registryToken, 'bearer-me');
    assert.equal(await resolveCredentials('empty.example', env), undefined);
    assert.equal(await resolveCredentials('other.example', env), undefined);
  });

  it('run credHelpers before credsStore, read "<token>" as an identity token, and treat "not found" as anonymous', async (t) => {
    const dir = await tempDir(t);
    await writeDirectory(dir, [
      { name: 'config.json', data: JSON.stringify({ credsStore: 'store', credHelpers: { 'gcr.io': 'gcr' }, auths: { 'gcr.io': { auth: b64('ignored:x') } } }) },
      { name: 'bin/docker-credential-gcr', data: '#!/bin/sh\nread s\nprintf \'{"Username":"<token>","Secret":"id-%s"}\' "$s"\n' },
      { name: 'bin/docker-credential-store', data: '#!/bin/sh\nread s\nif [ "$s" = "https://index.docker.io/v1/" ]; then echo \'{"Username":"hub","Secret":"pw"}\'; else echo "credentials not found in native keychain"; exit 1; fi\n' },
    ]);
    await chmod(join(dir, 'bin/docker-credential-gcr'), 0o755);
    await chmod(join(dir, 'bin/docker-credential-store'), 0o755);
    const env = { DOCKER_CONFIG: dir, PATH: `${join(dir, 'bin')}:/usr/bin:/bin` };
    assert.deepEqual(await resolveCredentials('gcr.io', env), { identityToken: 'id-gcr.io', source: 'credential helper docker-credential-gcr' });
    assert.deepEqual(await resolveCredentials('index.docker.io', env), { username: 'hub', password: 'pw', source: 'credential helper docker-credential-store' });
    assert.equal(await resolveCredentials('quay.io', env), undefined);
  });

  it('report an auth file that is not JSON, or a bad auth value, without quoting it', async (t) => {
    const dir = await tempDir(t);
    await writeDirectory(dir, [{ name: 'a/config.json', data: '{"auths": {"x": {"auth": "c2VjcmV0"}' }, { name: 'b/config.json', data: JSON.stringify({ auths: { x: { auth: b64('no-colon-secret') } } }) }]);
    await assert.rejects(resolveCredentials('x', { DOCKER_CONFIG: join(dir, 'a') }), (err) => isClairError(err, 'IMAGE_CREDENTIALS') && err.message === `registry auth file ${join(dir, 'a/config.json')} is not valid JSON`);
    await assert.rejects(
      resolveCredentials('x', { DOCKER_CONFIG: join(dir, 'b') }),
      (err) => isClairError(err, 'IMAGE_CREDENTIALS') && err.message === `the "auth" of ${join(dir, 'b/config.json')} (auths["x"]) is not base64 of user:password` && !err.message.includes('secret'),
    );
  });

  it('report a helper name the system cannot run (a NUL byte, too long) as a clear error (fuzz)', async (t) => {
    const dir = await tempDir(t);
    await writeDirectory(dir, [
      { name: 'nul/config.json', data: '{"credsStore": "a\\u0000b"}' },
      { name: 'long/config.json', data: JSON.stringify({ credHelpers: { 'quay.io': 'x'.repeat(5000) } }) },
    ]);
    await assert.rejects(
      resolveCredentials('quay.io', { DOCKER_CONFIG: join(dir, 'nul'), PATH: dir }),
      (err) => isClairError(err, 'IMAGE_CREDENTIALS') && err.message === 'credential helper "docker-credential-a\\u0000b" cannot be run (ERR_INVALID_ARG_VALUE)',
    );
    await assert.rejects(resolveCredentials('quay.io', { DOCKER_CONFIG: join(dir, 'long'), PATH: dir }), (err) => isClairError(err, 'IMAGE_CREDENTIALS') && /^credential helper "docker-credential-x+" cannot be run \(ENAMETOOLONG\)$/.test(err.message));
  });

  it('report a failing helper by its exit status', async (t) => {
    const dir = await tempDir(t);
    await writeDirectory(dir, [
      { name: 'config.json', data: JSON.stringify({ credsStore: 'broken' }) },
      { name: 'bin/docker-credential-broken', data: '#!/bin/sh\necho "boom" >&2\nexit 3\n' },
    ]);
    await chmod(join(dir, 'bin/docker-credential-broken'), 0o755);
    await assert.rejects(
      resolveCredentials('quay.io', { DOCKER_CONFIG: dir, PATH: `${join(dir, 'bin')}:/usr/bin:/bin` }),
      (err) => isClairError(err, 'IMAGE_CREDENTIALS') && err.message === 'credential helper docker-credential-broken failed (exit status 3) for quay.io',
    );
  });
});
