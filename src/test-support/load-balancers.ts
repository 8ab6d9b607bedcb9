/**
 * @module The shipped load-balancer templates (deploy/nginx/clair.conf,
 * deploy/haproxy/haproxy.cfg) run for real in tests: rendered by the shipped
 * deploy/render.sh, started as foreground child processes on loopback ports,
 * stopped with the test.
 *
 * A missing `nginx` or `haproxy` command skips the tests that need it, with
 * a message; under CI (CI set) it is an error, because .ci/run installs both.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The repository's deploy/ folder. */
export const DEPLOY_DIR = fileURLToPath(new URL('../../deploy/', import.meta.url));

/**
 * Resolves `undefined` when `command -v` finds the tool, else the reason to
 * skip. Under CI a missing tool rejects instead: the test must fail.
 */
export async function toolUnavailable(tool: 'nginx' | 'haproxy'): Promise<string | undefined> {
  try {
    await run('sh', ['-c', `command -v ${tool}`]);
    return undefined;
  } catch {
    const reason = `${tool} is not installed (apt-get install ${tool}; .ci/run does)`;
    if (process.env.CI) throw new Error(`${reason}: required in CI`);
    return reason;
  }
}

/** Fills in a deploy/ template with deploy/render.sh; `values` become its environment. */
export async function renderTemplate(template: string, values: Record<string, string>): Promise<string> {
  const { stdout } = await run('bash', [join(DEPLOY_DIR, 'render.sh'), join(DEPLOY_DIR, template)], { env: { PATH: process.env.PATH, ...values } });
  return stdout;
}

/** A TCP port that was free on 127.0.0.1 a moment ago (for servers that cannot bind port 0 and report it). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Resolves once something accepts TCP connections on 127.0.0.1:`port`, or rejects after `ms`. */
async function waitForPort(port: number, child: ChildProcess, output: () => string, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode} before listening on ${port}: ${output()}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => (socket.destroy(), resolve(true)));
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`nothing listens on ${port} after ${ms} ms: ${output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export interface RunningProxy {
  child: ChildProcess;
  /** What the proxy wrote to stdout and stderr so far. */
  output(): string;
  /** Stops it gracefully and waits for it to exit. */
  stop(): Promise<void>;
}

function track(child: ChildProcess, signal: NodeJS.Signals): RunningProxy {
  let output = '';
  child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    child,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

export interface RunningNginx extends RunningProxy {
  /**
   * Replaces the http-block configuration and reloads (SIGHUP), as an
   * operator adding a replica does: new workers take the new configuration,
   * old ones finish their requests and close their idle connections, so a
   * client should not reuse its pooled connections across a reload.
   */
  reload(httpConf: string): void;
}

/**
 * Starts nginx in the foreground with `httpConf` (a rendered
 * deploy/nginx/clair.conf) in its http block, its pid, temp files and
 * logs in `dir`; resolves once `waitPort` accepts connections.
 */
export async function startNginx(dir: string, httpConf: string, waitPort: number): Promise<RunningNginx> {
  mkdirSync(dir, { recursive: true });
  // Run as root, nginx's workers are `nobody`: they must reach the temp dirs.
  chmodSync(dir, 0o711);
  writeFileSync(join(dir, 'clair.conf'), httpConf);
  const main = [
    'daemon off;',
    'worker_processes 1;',
    `pid ${join(dir, 'nginx.pid')};`,
    'error_log stderr warn;',
    'events { worker_connections 512; }',
    'http {',
    '  access_log off;',
    ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `  ${t}_temp_path ${join(dir, t)};`),
    `  include ${join(dir, 'clair.conf')};`,
    '}',
    '',
  ].join('\n');
  writeFileSync(join(dir, 'nginx.conf'), main);
  const child = spawn('nginx', ['-e', 'stderr', '-p', dir, '-c', join(dir, 'nginx.conf')], { stdio: ['ignore', 'pipe', 'pipe'] });
  // SIGQUIT: graceful shutdown, in-flight requests finish.
  const proxy = track(child, 'SIGQUIT');
  try {
    await waitForPort(waitPort, child, proxy.output);
  } catch (err) {
    await proxy.stop();
    throw new Error(`nginx: ${(err as Error).message}`);
  }
  return {
    ...proxy,
    reload(conf) {
      writeFileSync(join(dir, 'clair.conf'), conf);
      child.kill('SIGHUP');
    },
  };
}

/** Starts HAProxy in the foreground on `cfg` (a rendered deploy/haproxy/haproxy.cfg). */
export async function startHaproxy(dir: string, cfg: string, waitPort: number): Promise<RunningProxy> {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'haproxy.cfg');
  writeFileSync(file, cfg);
  const child = spawn('haproxy', ['-db', '-f', file], { stdio: ['ignore', 'pipe', 'pipe'] });
  // SIGUSR1: soft stop, in-flight requests finish.
  const proxy = track(child, 'SIGUSR1');
  try {
    await waitForPort(waitPort, child, proxy.output);
  } catch (err) {
    await proxy.stop();
    throw new Error(`haproxy: ${(err as Error).message}`);
  }
  return proxy;
}

/** Checks a rendered HAProxy configuration with `haproxy -c`; resolves its report. */
export async function checkHaproxyConfig(dir: string, cfg: string): Promise<string> {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'haproxy-check.cfg');
  writeFileSync(file, cfg);
  const { stdout, stderr } = await run('haproxy', ['-c', '-f', file]);
  return stdout + stderr;
}

/** Checks a rendered nginx http-block configuration with `nginx -t`; resolves its report. */
export async function checkNginxConfig(dir: string, httpConf: string): Promise<string> {
  mkdirSync(dir, { recursive: true });
  chmodSync(dir, 0o711);
  writeFileSync(join(dir, 'clair.conf'), httpConf);
  writeFileSync(join(dir, 'nginx-check.conf'), `pid ${join(dir, 'check.pid')};\nerror_log stderr warn;\nevents {}\nhttp {\n${['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `  ${t}_temp_path ${join(dir, t)};`).join('\n')}\n  include ${join(dir, 'clair.conf')};\n}\n`);
  const { stdout, stderr } = await run('nginx', ['-t', '-e', 'stderr', '-p', dir, '-c', join(dir, 'nginx-check.conf')]);
  return stdout + stderr;
}
