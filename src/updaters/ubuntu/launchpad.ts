/**
 * @module Ubuntu's release list from Launchpad's API
 * (`GET https://api.launchpad.net/1.0/ubuntu/series`): a collection page
 * `{total_size, start, entries: [{name, version, active, status, …}],
 * next_collection_link?}`. The version (`22.04`) becomes the distribution's
 * VERSION_ID, as the Ubuntu distribution scanner reads it from os-release.
 */
import { clairError } from '../../lib/errors.js';
import { fetchText, type FetchContext } from '../download.js';

/** One Ubuntu series (release). */
export interface Series {
  name: string;
  version: string;
  /** Launchpad's flag: supported or in development (not obsolete). */
  active: boolean;
}

const PAGE_LIMIT = 8 * 1024 * 1024; // 8 MiB: a page of ~75 series is ~100 KiB
const MAX_PAGES = 20; // the distribution has ~45 series; guards a server looping its links

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The series on one collection page; entries lacking a name or version are skipped. */
export function seriesPage(text: string, url: string): { series: Series[]; next: string | undefined } {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw clairError('UPDATER_FETCH', `ubuntu: series list ${url} is not JSON: ${(err as Error).message}`, { cause: err });
  }
  if (!isObject(doc) || !Array.isArray(doc.entries)) throw clairError('UPDATER_FETCH', `ubuntu: series list ${url} has no "entries" array`);
  const series: Series[] = [];
  for (const e of doc.entries) {
    if (!isObject(e) || typeof e.name !== 'string' || typeof e.version !== 'string' || e.name === '' || e.version === '') continue;
    series.push({ name: e.name, version: e.version, active: e.active === true });
  }
  const next = typeof doc.next_collection_link === 'string' && doc.next_collection_link !== '' ? doc.next_collection_link : undefined;
  return { series, next };
}

/** Every series Launchpad lists, following the collection's pages. */
export async function listSeries(ctx: FetchContext, url: string): Promise<Series[]> {
  const all: Series[] = [];
  let next: string | undefined = url;
  for (let page = 0; next !== undefined; page++) {
    if (page >= MAX_PAGES) throw clairError('UPDATER_FETCH', `ubuntu: series list ${url} has more than ${MAX_PAGES} pages`);
    const got = await fetchText(ctx, next, { component: 'ubuntu', headers: { accept: 'application/json' }, maxBytes: PAGE_LIMIT, overflow: 'truncate' });
    if (got.truncated) throw clairError('UPDATER_FETCH', `ubuntu: series list page ${next} is larger than ${PAGE_LIMIT} bytes`);
    const parsed = seriesPage(got.text, next);
    all.push(...parsed.series);
    next = parsed.next === undefined ? undefined : new URL(parsed.next, next).href;
  }
  return all;
}
