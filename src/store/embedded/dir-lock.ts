/**
 * @module An exclusive claim on an embedded data directory. PGlite is
 * single-process: two processes opening one directory would corrupt it, so a
 * sibling `<dir>.lock` file records the owner's pid. A lock whose owner is
 * gone (crash, kill -9) is taken over.
 */
import { mkdirSync, openSync, closeSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { clairError } from '../../lib/errors.js';

export interface DirLock {
  readonly path: string;
  release(): void;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function lockDataDir(dir: string): DirLock {
  const path = `${dir}.lock`;
  mkdirSync(dirname(path), { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      let released = false;
      return {
        path,
        release: () => {
          if (released) return;
          released = true;
          try {
            unlinkSync(path);
          } catch {
            // Already gone: nothing to release.
          }
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = Number.parseInt(readFileSync(path, 'utf8').trim(), 10);
      if (Number.isInteger(owner) && owner !== process.pid && alive(owner)) {
        throw clairError(
          'STORE_CONNECT',
          `store: embedded database ${dir} is in use by process ${owner}; use PostgreSQL to share a database between processes`,
        );
      }
      if (owner === process.pid) {
        throw clairError('STORE_CONNECT', `store: embedded database ${dir} is already open in this process`);
      }
      unlinkSync(path); // stale: its owner is gone
    }
  }
  throw clairError('STORE_CONNECT', `store: cannot lock embedded database ${dir}`);
}
