/**
 * @module Test helpers for the osv updater tests: the shared updater test
 * contexts, and the location of the real OSV data.
 */
import { join } from 'node:path';
import { SHARED_DATA, sharedDataSkip } from '../../test-support/updater-context.js';

export { setContext, TEST_TIMEOUT_MS, updaterContext } from '../../test-support/updater-context.js';

/** `<repo root>/../shared/data/osv`. */
export const SHARED_OSV = join(SHARED_DATA, 'osv');

/** A skip reason when the shared OSV data is missing, else false. */
export function sharedOsvSkip(rel = ''): string | false {
  return sharedDataSkip(join('osv', rel));
}
