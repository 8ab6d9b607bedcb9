/**
 * @module Runs the real `clair` / `clairctl` entry points in a child
 * process (through tsx, so no build is needed), for tests of flags, exit
 * codes, logs and signals.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface Spawned {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exit: Promise<number | null>;
  /** Resolves with the first stdout line matching `pattern`, or rejects after `ms`. */
  waitFor(pattern: RegExp, ms?: number): Promise<string>;
}

const running = new Set<ChildProcess>();

/**
 * Kills every child still running. Call it from `after`: a failed assertion
 * must never leave a server running and the test file hanging on its pipes.
 */
export function killSpawned(): void {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
}

export function spawnCli(cli: 'clair' | 'clairctl', args: string[], env: Record<string, string | undefined> = {}): Spawned {
  const code = `const m = await import('./src/cli/${cli}.js'); await m.main(process.argv.slice(1));`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code, '--', ...args], {
    cwd: ROOT,
    env: { ...process.env, CLAIR_MODE: undefined, CLAIR_CONF: undefined, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  child.once('exit', () => running.delete(child));
  let out = '';
  let err = '';
  const waiters: Array<{ pattern: RegExp; resolve: (line: string) => void }> = [];
  child.stdout!.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    for (const w of [...waiters]) {
      const line = out.split('\n').find((l) => w.pattern.test(l));
      if (line !== undefined) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(line);
      }
    }
  });
  child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exit,
    waitFor: (pattern, ms = 60_000) =>
      new Promise((resolve, reject) => {
        const existing = out.split('\n').find((l) => pattern.test(l));
        if (existing !== undefined) return resolve(existing);
        const timer = setTimeout(() => reject(new Error(`timed out waiting for ${pattern}; stdout: ${out.slice(-2000)} stderr: ${err.slice(-2000)}`)), ms);
        void exit.then(() => reject(new Error(`process exited before ${pattern}; stdout: ${out.slice(-2000)} stderr: ${err.slice(-2000)}`)));
        waiters.push({ pattern, resolve: (line) => (clearTimeout(timer), resolve(line)) });
      }),
  };
}
