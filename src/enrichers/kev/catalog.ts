/**
 * @module CISA's Known Exploited Vulnerabilities catalog, read as a stream
 * (`known_exploited_vulnerabilities.json`, schema
 * `known_exploited_vulnerabilities_schema.json`):
 *
 * ```json
 * {"title": "…", "catalogVersion": "2025.08.25", "dateReleased": "…", "count": 1404,
 *  "vulnerabilities": [{"cveID": "CVE-2025-48384", "vendorProject": "Git", "product": "Git",
 *    "vulnerabilityName": "…", "dateAdded": "2025-08-25", "shortDescription": "…",
 *    "requiredAction": "…", "dueDate": "2025-09-15", "knownRansomwareCampaignUse": "Unknown",
 *    "notes": "…", "cwes": ["CWE-59"]}]}
 * ```
 *
 * Each entry becomes one record tagged with its CVE, holding what
 * claircore's `kev.Entry` keeps, in its order and with its keys: `cve`,
 * `vulnerability_name`, `catalog_version`, `date_added`,
 * `short_description`, `required_action`, `due_date`,
 * `known_ransomware_campaign_use`. A field the entry lacks is `""`, as Go
 * decodes it; a field of the wrong type, an entry without a `cveID`, or a
 * catalog listing no vulnerabilities at all, fails the file.
 */
import { createReadStream } from 'node:fs';
import type { Duplex, Readable } from 'node:stream';
import Parser from 'stream-json/Parser.js';
import Pick from 'stream-json/filters/Pick.js';
import StreamValues from 'stream-json/streamers/StreamValues.js';
import { clairError, isClairError } from '../../lib/errors.js';
import type { EnrichmentRecord } from '../../model/enrichment.js';

/** claircore's `kev.Entry`, the enrichment each record holds. */
export interface KevEntry {
  cve: string;
  vulnerability_name: string;
  catalog_version: string;
  date_added: string;
  short_description: string;
  required_action: string;
  due_date: string;
  known_ransomware_campaign_use: string;
}

/** The catalog fields an entry is built from: entry key → KEV JSON key. */
const FIELDS: ReadonlyArray<[Exclude<keyof KevEntry, 'catalog_version'>, string]> = [
  ['cve', 'cveID'],
  ['vulnerability_name', 'vulnerabilityName'],
  ['date_added', 'dateAdded'],
  ['short_description', 'shortDescription'],
  ['required_action', 'requiredAction'],
  ['due_date', 'dueDate'],
  ['known_ransomware_campaign_use', 'knownRansomwareCampaignUse'],
];

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Validates one `vulnerabilities[n]` element into an entry. */
export function toKevEntry(value: unknown, index: number, catalogVersion: string): KevEntry {
  const where = `vulnerabilities[${index}]`;
  if (!isObject(value)) throw new TypeError(`${where}: expected an object`);
  const text = (key: string): string => {
    const v = value[key];
    if (v === undefined || v === null) return '';
    if (typeof v !== 'string') throw new TypeError(`${where}.${key}: expected a string`);
    return v;
  };
  const got = Object.fromEntries(FIELDS.map(([entryKey, jsonKey]) => [entryKey, text(jsonKey)])) as Omit<KevEntry, 'catalog_version'>;
  if (got.cve === '') throw new TypeError(`${where}.cveID: missing`);
  return {
    cve: got.cve,
    vulnerability_name: got.vulnerability_name,
    catalog_version: catalogVersion,
    date_added: got.date_added,
    short_description: got.short_description,
    required_action: got.required_action,
    due_date: got.due_date,
    known_ransomware_campaign_use: got.known_ransomware_campaign_use,
  };
}

/** Values at the paths `filter` picks, streamed from the JSON file. */
async function* picked(file: string, filter: RegExp): AsyncGenerator<unknown> {
  const stages: Array<Readable | Duplex> = [createReadStream(file), Parser.parser(), Pick.pick({ filter }), StreamValues.streamValues()];
  const last = stages[stages.length - 1] as Duplex;
  for (const stage of stages) stage.on('error', (err: Error) => last.destroy(err));
  for (let i = 1; i < stages.length; i++) (stages[i - 1] as Readable).pipe(stages[i] as Duplex);
  try {
    for await (const item of last as AsyncIterable<{ value: unknown }>) yield item.value;
  } finally {
    for (const stage of stages) stage.destroy();
  }
}

/**
 * Streams the records of the catalog at `file`. The catalog version is
 * read first in a pass of its own, so records carry it wherever the
 * catalog places it.
 *
 * @throws ClairError `UPDATER_PARSE` naming `component` and the problem.
 */
export async function* readKevCatalog(file: string, component: string): AsyncGenerator<EnrichmentRecord> {
  try {
    let catalogVersion: unknown = '';
    for await (const v of picked(file, /^catalogVersion$/)) catalogVersion = v;
    if (typeof catalogVersion !== 'string') throw new TypeError('catalogVersion: expected a string');
    let index = 0;
    for await (const value of picked(file, /^vulnerabilities\.\d+$/)) {
      const entry = toKevEntry(value, index++, catalogVersion);
      yield { tags: [entry.cve], enrichment: entry };
    }
    // Never a real catalog: a wrong document, which must not replace the data in force.
    if (index === 0) throw new TypeError('no vulnerabilities listed');
  } catch (err) {
    if (isClairError(err)) throw err;
    throw clairError('UPDATER_PARSE', `${component}: malformed KEV catalog: ${(err as Error).message}`, { cause: err });
  }
}
