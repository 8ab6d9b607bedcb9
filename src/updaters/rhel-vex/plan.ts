/**
 * @module Which documents a run takes from where. The archive holds every
 * document as of its date (the cut-off, its Last-Modified time); entries of
 * `changes.csv` at or after the cut-off are fetched individually and replace
 * the archive's copy; entries of `deletions.csv` at or after the cut-off
 * remove a document. A document both changed and deleted after the cut-off
 * is kept only if the change is the later of the two (claircore always lets
 * the deletion win; the timestamps say which happened last).
 */
import { posix } from 'node:path';
import { clairError } from '../../lib/errors.js';
import { readIndexCsv } from './index-csv.js';

/** claircore `lookBackToYear`: documents of earlier years are not ingested. */
export const LOOK_BACK_TO_YEAR = 2015;

/** Document paths: `<year>/<file>.json`, nothing that could climb out of the spool directory. */
const DOCUMENT_PATH = /^(\d{4})\/[A-Za-z0-9][A-Za-z0-9._-]*\.json$/;

/** The documents of one run besides the archive. */
export interface UpdatePlan {
  /** Paths (`2023/cve-2023-0044.json`) to fetch individually, sorted. */
  changed: string[];
  /** File names (`cve-2024-0002.json`) whose documents are gone, sorted. */
  deleted: string[];
}

/** The year of a document path, or `undefined` when the path is not `<year>/<file>.json`. */
export function documentYear(path: string): number | undefined {
  const m = DOCUMENT_PATH.exec(path);
  return m ? Number(m[1]) : undefined;
}

/**
 * Reads the spooled index files and decides the run's documents.
 *
 * @throws ClairError `CLAIR_ERR_UPDATER_PARSE` for a malformed line or document path.
 */
export async function planUpdates(changesFile: string, deletionsFile: string, cutoff: Date): Promise<UpdatePlan> {
  const changes = new Map<string, { path: string; time: number }>();
  for await (const entry of readIndexCsv(changesFile, 'changes.csv')) {
    const year = documentYear(entry.path);
    if (year === undefined) throw clairError('UPDATER_PARSE', `rhel-vex: changes.csv line ${entry.line}: unexpected document path ${JSON.stringify(entry.path)}`);
    if (year < LOOK_BACK_TO_YEAR || entry.time < cutoff) continue;
    const base = posix.basename(entry.path);
    const seen = changes.get(base);
    if (seen === undefined || entry.time.getTime() >= seen.time) changes.set(base, { path: entry.path, time: entry.time.getTime() });
  }
  const deletions = new Map<string, number>();
  for await (const entry of readIndexCsv(deletionsFile, 'deletions.csv')) {
    if (entry.time < cutoff) continue;
    const base = posix.basename(entry.path);
    deletions.set(base, Math.max(entry.time.getTime(), deletions.get(base) ?? -Infinity));
  }
  const deleted: string[] = [];
  for (const [base, time] of deletions) {
    const change = changes.get(base);
    if (change !== undefined && change.time > time) continue; // re-published after the deletion
    changes.delete(base);
    deleted.push(base);
  }
  return { changed: [...changes.values()].map((c) => c.path).sort(), deleted: deleted.sort() };
}
