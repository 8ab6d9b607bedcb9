/**
 * @module The updater's `parse`: every archive document not superseded by a
 * newer individual copy or deleted, then the individually fetched
 * documents, each parsed on its own and its records yielded before the next
 * document is read.
 */
import { readFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { clairError } from '../../lib/errors.js';
import type { VulnerabilityRecord } from '../../model/index.js';
import type { UpdaterContext } from '../updater.js';
import { archiveDocuments } from './archive.js';
import type { RhelVexConfig } from './config.js';
import { parseVexDocument } from './parse-document.js';
import { LOOK_BACK_TO_YEAR } from './plan.js';
import { ARCHIVE_FILE, DOCS_DIR, readRunState } from './state.js';

/**
 * Streams the records of the run fetched into `ctx.dir`.
 *
 * @throws ClairError `CLAIR_ERR_UPDATER_PARSE` for an unreadable archive or a malformed document.
 */
export async function* parseVex(ctx: UpdaterContext, config: RhelVexConfig): AsyncGenerator<VulnerabilityRecord> {
  const state = await readRunState(ctx.dir);
  const options = { ignoreKernelPackages: config.ignoreKernelPackages, log: ctx.log };
  const superseded = new Set([...state.changed.map((p) => posix.basename(p)), ...state.deleted]);
  const counts = { archive: 0, changed: 0, superseded: 0, old: 0, records: 0 };

  for await (const doc of archiveDocuments(join(ctx.dir, ARCHIVE_FILE), ctx.signal)) {
    if (superseded.has(posix.basename(doc.name))) {
      counts.superseded++;
      continue;
    }
    const year = Number(posix.dirname(doc.name));
    if (!/^\d+$/.test(posix.dirname(doc.name))) {
      throw clairError('UPDATER_PARSE', `rhel-vex: archive member ${JSON.stringify(doc.name)} is not under a year directory`);
    }
    if (year < LOOK_BACK_TO_YEAR) {
      counts.old++;
      continue;
    }
    counts.archive++;
    for (const record of parseVexDocument(doc.data, doc.name, options)) {
      counts.records++;
      yield record;
    }
  }

  for (const path of state.changed) {
    ctx.signal.throwIfAborted();
    const data = await readFile(join(ctx.dir, DOCS_DIR, path));
    counts.changed++;
    for (const record of parseVexDocument(data, path, options)) {
      counts.records++;
      yield record;
    }
  }
  ctx.log.info({ ...counts, deleted: state.deleted.length }, 'rhel-vex parsed');
}
