/**
 * @module Opens the database a connstring names.
 */
import type { Logger } from 'pino';
import { parseConnString, type DatabaseTarget } from './connstring.js';
import type { Database } from './database.js';
import { openEmbedded } from './embedded/database.js';
import { PostgresDatabase } from './postgres/database.js';

export interface OpenOptions {
  /** Directory of the embedded database when the connstring is empty. */
  dataDir: string;
  /** Sent to PostgreSQL as `application_name` unless the connstring sets one. */
  applicationName?: string;
  log?: Logger;
}

export function openTarget(target: DatabaseTarget, options: Omit<OpenOptions, 'dataDir'>): Promise<Database> {
  if (target.kind === 'embedded') return openEmbedded(target, { applicationName: options.applicationName, log: options.log });
  const config = { ...target.config };
  if (options.applicationName && config.application_name === undefined) config.application_name = options.applicationName;
  return PostgresDatabase.open(config, target.display, options.log);
}

export async function openDatabase(connstring: string, options: OpenOptions): Promise<Database> {
  return openTarget(parseConnString(connstring, options.dataDir), options);
}
