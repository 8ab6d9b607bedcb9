import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isClairError } from '../../../lib/errors.js';
import { openImage } from './index.js';
import {
  freePort,
  gzipSync,
  layerTar,
  missingTools,
  ociImage,
  ociLayoutMembers,
  run,
  sha256,
  startRegistry,
  writeDirectory,
  type BuiltImage,
  type TestRegistry,
} from '../../../test-support/image-archives.js';

const skip = await missingTools('docker-registry', 'skopeo');

/** A token-authenticating front for the registry, as Docker Hub or Quay put in front of theirs. */
class AuthProxy {
  readonly tokenRequests: URL[] = [];
  readonly issued: string[] = [];
  /** Refuse the first token on its first use past the ping, as if it had expired. */
  expireFirstToken = false;
  #server: Server;
  #count = 0;

  constructor(
    private readonly upstream: string,
    private readonly user: string,
    private readonly password: string,
    private readonly tokenField: 'token' | 'access_token' | 'basic' = 'token',
  ) {
    this.#server = createServer((req, res) => this.#handle(req, res));
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    return `127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #handle(req: IncomingMessage, res: ServerResponse): void {
    const host = req.headers.host!;
    const url = new URL(req.url!, `http://${host}`);
    if (url.pathname === '/token') {
      this.tokenRequests.push(url);
      const expected = `Basic ${Buffer.from(`${this.user}:${this.password}`).toString('base64')}`;
      if (req.headers.authorization !== expected) return void res.writeHead(401).end('{"details":"bad credentials"}');
      const token = `tok-${++this.#count}`;
      this.issued.push(token);
      return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ [this.tokenField]: token, expires_in: 300 }));
    }
    const basic = `Basic ${Buffer.from(`${this.user}:${this.password}`).toString('base64')}`;
    if (this.tokenField === 'basic' && req.headers.authorization !== basic) {
      return void res.writeHead(401, { 'www-authenticate': 'Basic realm="test-registry"' }).end();
    }
    const presented = req.headers.authorization?.replace(/^Bearer /, '');
    if (this.tokenField !== 'basic' && (presented === undefined || !this.issued.includes(presented))) {
      const scope = url.pathname === '/v2/' ? '' : `,scope="repository:${url.pathname.split('/')[2]}:pull"`;
      return void res.writeHead(401, { 'www-authenticate': `Bearer realm="http://${host}/token",service="test-registry"${scope}`, 'content-type': 'application/json' }).end('{"errors":[{"code":"UNAUTHORIZED"}]}');
    }
    if (this.expireFirstToken && url.pathname !== '/v2/' && presented === 'tok-1') {
      this.expireFirstToken = false;
      this.issued.splice(this.issued.indexOf('tok-1'), 1);
      return void res.writeHead(401, { 'www-authenticate': `Bearer realm="http://${host}/token",service="test-registry",error="invalid_token"` }).end();
    }
    const headers = { ...req.headers, host: this.upstream };
    delete headers.authorization;
    const forward = httpRequest({ host: '127.0.0.1', port: Number(this.upstream.split(':')[1]), method: req.method, path: req.url, headers }, (upstream) => {
      res.writeHead(upstream.statusCode!, upstream.headers);
      upstream.pipe(res);
    });
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  }
}

describe('registry images', { skip }, () => {
  let tmp: string;
  let registry: TestRegistry;
  let single: BuiltImage;
  let singleDigest: string;
  let amd: BuiltImage;
  let arm: BuiltImage;

  before(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'clairctl-registry-test-'));
    registry = await startRegistry(tmp);
    single = ociImage([gzipSync(await layerTar('etc/os-release', 'ID=registry\n')), gzipSync(await layerTar('srv/data', 'payload'))]);
    amd = ociImage([gzipSync(await layerTar('arch', 'amd64'))], { platform: { os: 'linux', architecture: 'amd64' } });
    arm = ociImage([gzipSync(await layerTar('arch', 'arm64'))], { platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } });
    const layout = join(tmp, 'layout');
    await writeDirectory(layout, ociLayoutMembers([{ image: single, ref: 'single' }, { index: [amd, arm], ref: 'multi' }]).members);
    const digestFile = join(tmp, 'digest');
    await run('skopeo', ['copy', '--quiet', '--dest-tls-verify=false', '--digestfile', digestFile, `oci:${layout}:single`, `docker://${registry.host}/team/app:1.0`]);
    singleDigest = (await readFile(digestFile, 'utf8')).trim();
    await run('skopeo', ['copy', '--quiet', '--all', '--dest-tls-verify=false', `oci:${layout}:multi`, `docker://${registry.host}/team/multi:latest`]);
  });

  after(async () => {
    await registry?.stop();
    await rm(tmp, { recursive: true, force: true });
  });

  async function assertLayersFetchable(layers: Array<{ hash: string; uri: string; headers?: Record<string, string[]> }>): Promise<void> {
    for (const layer of layers) {
      const headers = Object.fromEntries(Object.entries(layer.headers ?? {}).map(([k, v]) => [k, v.join(', ')]));
      const res = await fetch(layer.uri, { headers });
      assert.equal(res.status, 200, layer.uri);
      assert.equal(sha256(Buffer.from(await res.arrayBuffer())), layer.hash);
    }
  }

  it('resolves a tag to the pushed manifest digest and blob URIs that return the layers', async () => {
    const image = await openImage(`${registry.host}/team/app:1.0`);
    assert.equal(image.local, false);
    assert.equal(image.digest, singleDigest);
    const manifest = image.manifest();
    assert.equal(manifest.hash, singleDigest);
    assert.deepEqual(
      manifest.layers.map((l) => ({ hash: l.hash, uri: l.uri, headers: l.headers })),
      single.layers.map((l) => ({ hash: sha256(l), uri: `http://${registry.host}/v2/team/app/blobs/${sha256(l)}`, headers: {} })),
    );
    await assertLayersFetchable(manifest.layers);
  });

  it('resolves a digest reference, with or without docker://', async () => {
    for (const arg of [`${registry.host}/team/app@${singleDigest}`, `docker://${registry.host}/team/app:1.0@${singleDigest}`]) {
      const image = await openImage(arg);
      assert.equal(image.digest, singleDigest, arg);
      assert.equal(image.name, arg);
    }
  });

  it('picks the platform of a multi-arch index, linux/amd64 by default', async () => {
    assert.equal((await openImage(`${registry.host}/team/multi`)).digest, amd.digest);
    const armImage = await openImage(`${registry.host}/team/multi:latest`, { platform: 'linux/arm64' });
    assert.equal(armImage.digest, arm.digest);
    assert.deepEqual(
      armImage.manifest().layers.map((l) => l.hash),
      [sha256(arm.layers[0]!)],
    );
    await assert.rejects(
      openImage(`${registry.host}/team/multi`, { platform: 'windows/amd64' }),
      (err) => isClairError(err, 'IMAGE_NOT_FOUND') && err.message === `${registry.host}/team/multi:latest has no image for platform windows/amd64; available: linux/amd64, linux/arm64/v8 (choose one with --platform)`,
    );
  });

  it('says "image not found" for an unknown tag, repository or digest', async () => {
    await assert.rejects(openImage(`${registry.host}/team/app:nope`), (err) => isClairError(err, 'IMAGE_NOT_FOUND') && err.message === `image not found: ${registry.host}/team/app:nope`);
    await assert.rejects(openImage(`${registry.host}/team/absent:1`), (err) => isClairError(err, 'IMAGE_NOT_FOUND') && err.message === `image not found: ${registry.host}/team/absent:1`);
    const other = sha256('not a manifest');
    await assert.rejects(openImage(`${registry.host}/team/app@${other}`), (err) => isClairError(err, 'IMAGE_NOT_FOUND') && err.message === `image not found: ${registry.host}/team/app@${other}`);
  });

  it('names the host when the registry cannot be reached', async () => {
    const port = await freePort();
    await assert.rejects(openImage(`127.0.0.1:${port}/team/app:1.0`), (err) => isClairError(err, 'IMAGE_REGISTRY') && err.message === `cannot reach 127.0.0.1:${port}: ECONNREFUSED`);
  });

  describe('behind a Bearer token service', () => {
    let proxy: AuthProxy;
    let proxyHost: string;
    let home: string;

    before(async () => {
      proxy = new AuthProxy(registry.host, 'reader', 's3cr:et');
      proxyHost = await proxy.start();
      home = await mkdtemp(join(tmpdir(), 'clairctl-auth-test-'));
    });

    after(async () => {
      await proxy.stop();
      await rm(home, { recursive: true, force: true });
    });

    it('fetches a token with the docker config.json credentials and puts it in the layer headers', async () => {
      const dockerConfig = join(home, 'docker');
      await writeDirectory(dockerConfig, [{ name: 'config.json', data: JSON.stringify({ auths: { [proxyHost]: { auth: Buffer.from('reader:s3cr:et').toString('base64') } } }) }]);
      const image = await openImage(`${proxyHost}/team/app:1.0`, { env: { DOCKER_CONFIG: dockerConfig, HOME: home } });
      assert.equal(image.digest, singleDigest);
      const token = proxy.issued.at(-1)!;
      const manifest = image.manifest();
      assert.deepEqual(
        manifest.layers.map((l) => l.headers),
        single.layers.map(() => ({ Authorization: [`Bearer ${token}`] })),
      );
      assert.equal(manifest.layers[0]!.uri, `http://${proxyHost}/v2/team/app/blobs/${sha256(single.layers[0]!)}`);
      const asked = proxy.tokenRequests.at(-1)!;
      assert.equal(asked.searchParams.get('service'), 'test-registry');
      assert.deepEqual(asked.searchParams.getAll('scope'), ['repository:team/app:pull']);
      await assertLayersFetchable(manifest.layers);
      const anonymous = await fetch(manifest.layers[0]!.uri);
      assert.equal(anonymous.status, 401);
    });

    it('runs the credential helper named in credHelpers', async () => {
      const dockerConfig = join(home, 'helper-config');
      await writeDirectory(dockerConfig, [{ name: 'config.json', data: JSON.stringify({ credHelpers: { [proxyHost]: 'clairtest' } }) }]);
      const bin = join(home, 'bin');
      const helper = join(bin, 'docker-credential-clairtest');
      await writeDirectory(bin, [
        {
          name: 'docker-credential-clairtest',
          data: `#!/bin/sh\n[ "$1" = get ] || exit 2\nread server\nif [ "$server" = "${proxyHost}" ]; then\n  printf '{"ServerURL":"%s","Username":"reader","Secret":"s3cr:et"}' "$server"\nelse\n  echo "credentials not found in native keychain"; exit 1\nfi\n`,
        },
      ]);
      await chmod(helper, 0o755);
      const before = proxy.issued.length;
      const image = await openImage(`${proxyHost}/team/app@${singleDigest}`, { env: { DOCKER_CONFIG: dockerConfig, HOME: home, PATH: `${bin}:${process.env.PATH}` } });
      assert.equal(image.digest, singleDigest);
      assert.equal(proxy.issued.length, before + 1);
      assert.deepEqual(image.manifest().layers[0]!.headers, { Authorization: [`Bearer ${proxy.issued.at(-1)}`] });
    });

    it('accepts access_token from the token service', async () => {
      const other = new AuthProxy(registry.host, 'reader', 'pw', 'access_token');
      const host = await other.start();
      try {
        const dockerConfig = join(home, 'access-token');
        await writeDirectory(dockerConfig, [{ name: 'config.json', data: JSON.stringify({ auths: { [`http://${host}/v2/`]: { username: 'reader', password: 'pw' } } }) }]);
        const image = await openImage(`${host}/team/app:1.0`, { env: { DOCKER_CONFIG: dockerConfig, HOME: home } });
        assert.deepEqual(image.manifest().layers[0]!.headers, { Authorization: ['Bearer tok-1'] });
      } finally {
        await other.stop();
      }
    });

    it('sends Basic credentials to a registry that challenges with Basic', async () => {
      const other = new AuthProxy(registry.host, 'reader', 'pw', 'basic');
      const host = await other.start();
      try {
        const dockerConfig = join(home, 'basic');
        await writeDirectory(dockerConfig, [{ name: 'config.json', data: JSON.stringify({ auths: { [host]: { auth: Buffer.from('reader:pw').toString('base64') } } }) }]);
        const image = await openImage(`${host}/team/app:1.0`, { env: { DOCKER_CONFIG: dockerConfig, HOME: home } });
        assert.equal(image.digest, singleDigest);
        const layers = image.manifest().layers;
        assert.deepEqual(layers[0]!.headers, { Authorization: [`Basic ${Buffer.from('reader:pw').toString('base64')}`] });
        await assertLayersFetchable(layers);
        await assert.rejects(
          openImage(`${host}/team/app:1.0`, { env: { DOCKER_CONFIG: join(home, 'none'), HOME: home } }),
          (err) => isClairError(err, 'IMAGE_UNAUTHORIZED') && err.message === `unauthorized: registry ${host} wants a user name and password, and none were found for it (docker login ${host})`,
        );
      } finally {
        await other.stop();
      }
    });

    it('fetches a new token once when the registry refuses an expired one', async () => {
      const other = new AuthProxy(registry.host, 'reader', 'pw');
      other.expireFirstToken = true;
      const host = await other.start();
      try {
        const dockerConfig = join(home, 'expiry');
        await writeDirectory(dockerConfig, [{ name: 'config.json', data: JSON.stringify({ auths: { [host]: { username: 'reader', password: 'pw' } } }) }]);
        const image = await openImage(`${host}/team/app:1.0`, { env: { DOCKER_CONFIG: dockerConfig, HOME: home } });
        assert.equal(image.digest, singleDigest);
        assert.deepEqual(other.issued, ['tok-2']);
        assert.deepEqual(image.manifest().layers[0]!.headers, { Authorization: ['Bearer tok-2'] });
      } finally {
        await other.stop();
      }
    });

    it('is unauthorized with wrong credentials, or none', async () => {
      const dockerConfig = join(home, 'bad-password');
      await writeDirectory(dockerConfig, [{ name: 'config.json', data: JSON.stringify({ auths: { [proxyHost]: { auth: Buffer.from('reader:not-the-password').toString('base64') } } }) }]);
      await assert.rejects(
        openImage(`${proxyHost}/team/app:1.0`, { env: { DOCKER_CONFIG: dockerConfig, HOME: home } }),
        (err) =>
          isClairError(err, 'IMAGE_UNAUTHORIZED') &&
          err.message === `unauthorized: the token service ${proxyHost} of registry ${proxyHost} refused the credentials from ${join(dockerConfig, 'config.json')} (auths["${proxyHost}"]) (status 401)` &&
          !err.message.includes('not-the-password'),
      );
      await assert.rejects(
        openImage(`${proxyHost}/team/app:1.0`, { env: { DOCKER_CONFIG: join(home, 'none'), HOME: home } }),
        (err) => isClairError(err, 'IMAGE_UNAUTHORIZED') && err.message === `unauthorized: the token service ${proxyHost} of registry ${proxyHost} refused anonymous access (status 401)`,
      );
    });

    it('reports a credential helper that is not installed', async () => {
      const dockerConfig = join(home, 'no-helper');
      await writeDirectory(dockerConfig, [{ name: 'config.json', data: JSON.stringify({ credsStore: 'absent-helper' }) }]);
      await assert.rejects(
        openImage(`${proxyHost}/team/app:1.0`, { env: { DOCKER_CONFIG: dockerConfig, HOME: home, PATH: '/nonexistent' } }),
        (err) => isClairError(err, 'IMAGE_CREDENTIALS') && err.message === 'credential helper docker-credential-absent-helper is not on PATH',
      );
    });
  });
});

