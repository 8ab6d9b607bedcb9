/** @module The rpm scanner's catalogued errors. */
import { clairError, type ClairError } from '../../lib/errors.js';

/**
 * An rpm database or header that cannot be read. claircore fails the whole
 * layer scan on these (rather than skipping the database), and so do we: a
 * silently partial package list would hide vulnerabilities.
 */
export function rpmError(message: string, cause?: unknown): ClairError {
  return clairError('RPM_DB_INVALID', message, cause === undefined ? {} : { cause });
}
