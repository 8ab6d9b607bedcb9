/**
 * @module An exclusive claim on an embedded data directory, released by the
 * kernel when its owner dies. The owner listens on a Unix socket (the lock
 * file): a second process finds the address in use, connects, and is
 * told the owner's pid. A socket nobody listens on any more (its owner was
 * killed, even with -9) refuses connections and is taken over. No pid is
 * trusted, so a restarted container whose clair is pid 1 again, or a reused
 * pid, never blocks a start.
 */
import { mkdirSync, unlinkSync } from 'node:fs';
import { createConnection, createServer, type Server } from 'node:net';
import { dirname, relative, resolve } from 'node:path';
import { clairError } from '../../lib/errors.js';

export interface DirLock {
  readonly path: string;
  release(): Promise<void>;
}

/** Unix socket paths are limited to 108 bytes, the terminator included. */
const MAX_SOCKET_PATH = 107;
/** How long to wait for an owner to answer before calling its socket stale. */
const ANSWER_MS = 2_000;

/** Directories this process holds, so a second open here gets a clear message. */
const held = new Set<string>();

/** The address to listen on: the absolute path, or a shorter relative one. */
function socketAddress(path: string): string {
  if (Buffer.byteLength(path) <= MAX_SOCKET_PATH) return path;
  const rel = relative(process.cwd(), path);
  if (Buffer.byteLength(rel) <= MAX_SOCKET_PATH) return rel;
  throw clairError('STORE_CONNECT', `store: embedded database lock ${path}: path longer than ${MAX_SOCKET_PATH} bytes; choose a shorter data_dir`);
}

function listen(address: string): Promise<Server> {
  const server = createServer((socket) => {
    socket.end(String(process.pid));
  });
  return new Promise((res, rej) => {
    server.once('error', rej);
    server.listen(address, () => {
      server.off('error', rej);
      server.unref(); // the lock never keeps the process alive
      res(server);
    });
  });
}

/** The owner's answer (its pid), or `undefined` when nobody listens. */
function askOwner(address: string): Promise<string | undefined> {
  return new Promise((res) => {
    const socket = createConnection(address);
    let answer = '';
    const timer = setTimeout(() => socket.destroy(), ANSWER_MS);
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (answer += chunk));
    socket.on('end', () => res(answer.trim() || 'unknown'));
    socket.on('error', (err: NodeJS.ErrnoException) => res(err.code === 'ECONNREFUSED' || err.code === 'ENOENT' ? undefined : 'unknown'));
    socket.on('close', () => clearTimeout(timer));
  });
}

/** Claims data directory `dir` through the lock socket at `path`. */
export async function lockPath(path: string, dir: string): Promise<DirLock> {
  path = resolve(path);
  if (held.has(path)) throw clairError('STORE_CONNECT', `store: embedded database ${dir} is already open in this process`);
  mkdirSync(dirname(path), { recursive: true });
  const address = socketAddress(path);
  for (let attempt = 0; attempt < 2; attempt++) {
    let server: Server;
    try {
      server = await listen(address);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') {
        throw clairError('STORE_CONNECT', `store: cannot lock embedded database ${dir}: ${(err as Error).message}`, { cause: err });
      }
      const owner = await askOwner(address);
      if (owner !== undefined) {
        throw clairError('STORE_CONNECT', `store: embedded database ${dir} is in use by process ${owner}; use PostgreSQL to share a database between processes`);
      }
      try {
        unlinkSync(path); // stale: its owner is gone
      } catch {
        // Someone else removed it first; try again.
      }
      continue;
    }
    held.add(path);
    let released = false;
    return {
      path,
      release: async () => {
        if (released) return;
        released = true;
        held.delete(path);
        await new Promise<void>((res) => server.close(() => res()));
      },
    };
  }
  throw clairError('STORE_CONNECT', `store: cannot lock embedded database ${dir}: its lock ${path} keeps changing hands`);
}
