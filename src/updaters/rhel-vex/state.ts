/**
 * @module What `fetch` leaves in the run directory for `parse`:
 *
 * ```
 * <dir>/state.json        this file's contents
 * <dir>/archive.tar.zst   the archive named by archive_latest.txt
 * <dir>/docs/<year>/<f>   documents changed since the archive's date
 * <dir>/changes.csv, deletions.csv
 * ```
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { clairError } from '../../lib/errors.js';

/** The spooled archive, relative to the run directory. */
export const ARCHIVE_FILE = 'archive.tar.zst';
/** Where individually fetched documents are spooled, relative to the run directory. */
export const DOCS_DIR = 'docs';
const STATE_FILE = 'state.json';

/** The hand-over from `fetch` to `parse`. */
export interface RunState {
  /** The archive's upstream name, e.g. `csaf_vex_2023-10-31.tar.zst`. */
  archiveName: string;
  /** ISO time; changes and deletions at or after it were applied. */
  cutoff: string;
  /** Document paths spooled under {@link DOCS_DIR}. */
  changed: string[];
  /** File names of deleted documents. */
  deleted: string[];
}

/** Records a completed fetch in `dir`. */
export async function writeRunState(dir: string, state: RunState): Promise<void> {
  await writeFile(join(dir, STATE_FILE), JSON.stringify(state));
}

/** @throws ClairError `CLAIR_ERR_UPDATER_PARSE` when fetch did not complete in `dir`. */
export async function readRunState(dir: string): Promise<RunState> {
  try {
    return JSON.parse(await readFile(join(dir, STATE_FILE), 'utf8')) as RunState;
  } catch (err) {
    throw clairError('UPDATER_PARSE', 'rhel-vex: no completed fetch in the run directory', { cause: err });
  }
}
