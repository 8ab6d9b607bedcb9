/**
 * @module yum `repodata/repomd.xml`: the index of a repository's metadata
 * files. Only what the ALAS updater needs is kept: each `<data type>` with
 * its `<checksum type>` (of the file as stored, i.e. compressed) and
 * `<location href>` (relative to the mirror base).
 */
import sax from 'sax';
import { clairError } from '../../lib/errors.js';

export interface RepomdChecksum {
  /** As written: `sha256`, `sha`, `sha512`… */
  type: string;
  /** Lower-case hex. */
  value: string;
}

export interface RepomdData {
  type: string;
  checksum?: RepomdChecksum | undefined;
  location?: string | undefined;
}

/** The element name without a namespace prefix (`rpm:foo` → `foo`). */
export const localName = (name: string): string => name.slice(name.indexOf(':') + 1);

/**
 * Parses repomd.xml text (a few KiB) into its `<data>` entries. Malformed
 * XML is an `UPDATER_PARSE` error naming `source`.
 */
export function parseRepomd(xml: string, component: string, source: string): RepomdData[] {
  const parser = sax.parser(true, { trim: false, normalize: false });
  const entries: RepomdData[] = [];
  const stack: string[] = [];
  let current: RepomdData | undefined;
  let checksumType = '';
  let text = '';
  let failure: Error | undefined;
  parser.onerror = (err) => {
    failure ??= err;
  };
  parser.onopentag = (tag) => {
    const name = localName(tag.name);
    const attr = (k: string): string | undefined => (tag.attributes as Record<string, string>)[k];
    stack.push(name);
    text = '';
    if (stack.length === 1 && name !== 'repomd') failure ??= new Error(`root element is <${tag.name}>, expected <repomd>`);
    if (name === 'data' && stack.length === 2) current = { type: attr('type') ?? '' };
    else if (current && stack.length === 3 && name === 'checksum') checksumType = attr('type') ?? '';
    else if (current && stack.length === 3 && name === 'location') current.location = attr('href');
  };
  parser.ontext = (t) => {
    text += t;
  };
  parser.onclosetag = () => {
    const name = stack.pop();
    if (current && stack.length === 2 && name === 'checksum') current.checksum = { type: checksumType, value: text.trim().toLowerCase() };
    if (current && stack.length === 1 && name === 'data') {
      entries.push(current);
      current = undefined;
    }
  };
  try {
    parser.write(xml).close();
  } catch (err) {
    failure ??= err as Error;
  }
  if (failure) throw clairError('UPDATER_PARSE', `${component}: malformed repomd.xml ${source}: ${failure.message.split('\n')[0]}`, { cause: failure });
  return entries;
}
