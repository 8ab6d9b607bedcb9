/**
 * @module One updater per OVAL rpminfo file: fetch with `fetchOval`, parse
 * with `ovalRpmRecords`. Oracle, SUSE and Photon differ only in name, URL,
 * compression and how a definition becomes record prototypes.
 */
import { join } from 'node:path';
import type { Updater } from '../updater.js';
import { type Compression } from './decompress.js';
import { fetchOval, OVAL_FILE } from './fetch.js';
import { ovalRpmRecords, type RecordPrototype } from './rpm.js';
import type { OvalDefinition } from './types.js';

/** One OVAL file and how its definitions become records. */
export interface OvalRpmUpdaterOptions {
  /** Persisted updater name. */
  name: string;
  url: string;
  compression: Compression;
  /** Record prototypes for a definition; `[]` skips it. */
  prototypes(def: OvalDefinition, updater: string): RecordPrototype[];
}

/** An `Updater` over one OVAL rpminfo document. */
export function ovalRpmUpdater(options: OvalRpmUpdaterOptions): Updater {
  const { name, url, compression } = options;
  return {
    name,
    fetch: (ctx, previous) => fetchOval(ctx, previous, { url, compression, component: name }),
    parse: (ctx) =>
      ovalRpmRecords(join(ctx.dir, OVAL_FILE), {
        component: name,
        signal: ctx.signal,
        log: ctx.log,
        prototypes: (def) => options.prototypes(def, name),
      }),
  };
}
