/** @module The version this build reports (User-Agent, logs, metrics). */
import { readFileSync } from 'node:fs';

function readVersion(): string {
  try {
    // Same depth from src/lib and dist/lib.
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
    return pkg.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

export const CLAIR_VERSION = readVersion();
