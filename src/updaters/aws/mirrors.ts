/**
 * @module Amazon Linux `mirror.list` files: one repository base URL per
 * line. The URL embeds a content hash that changes on every publish, which
 * is why the list is read afresh on each fetch.
 */
import { clairError } from '../../lib/errors.js';
import type { UpdaterContext } from '../updater.js';
import { fetchText } from '../download.js';

/**
 * The mirror base URLs of a list, each ending in `/` so relative locations
 * resolve under it. Blank lines and `#` comments are skipped; a file without
 * a final newline still yields its last line (claircore drops it).
 */
export function parseMirrorList(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => (line.endsWith('/') ? line : `${line}/`));
}

/** Downloads and parses a mirror list; an empty or invalid one is an error. */
export async function fetchMirrors(ctx: UpdaterContext, url: string, component: string): Promise<string[]> {
  const got = await fetchText(ctx, url, { component, maxBytes: 1024 * 1024 });
  const mirrors = parseMirrorList(got.text);
  if (mirrors.length === 0) throw clairError('UPDATER_PARSE', `${component}: mirror list ${url} names no mirrors`);
  for (const m of mirrors) {
    if (!URL.canParse(m)) throw clairError('UPDATER_PARSE', `${component}: mirror list ${url} has an invalid URL: ${JSON.stringify(m)}`);
  }
  return mirrors;
}
