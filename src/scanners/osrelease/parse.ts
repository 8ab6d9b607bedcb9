/**
 * @module os-release(5) parsing, with claircore's rules (`osrelease.Parse`):
 * lines are trimmed; empty lines and lines starting with `#` are skipped; a
 * line without `=` makes the whole file malformed; key and value are split at
 * the first `=` and trimmed. A value starting with `'` has every leading and
 * trailing `'` removed and `'\''` turned into `'`; a value starting with `"`
 * has every leading and trailing `"` removed and the escapes `` \` ``, `\\`,
 * `\"` and `\$` undone. A later key replaces an earlier one.
 */

/** Paths of the os-release file; the fallback is read only when the first does not exist. */
export const OS_RELEASE_PATH = 'etc/os-release';
export const OS_RELEASE_FALLBACK_PATH = 'usr/lib/os-release';

/** Parsed key-value pairs, or the first malformed line. */
export type OsReleaseResult = { readonly ok: true; readonly values: ReadonlyMap<string, string> } | { readonly ok: false; readonly reason: string };

const DOUBLE_QUOTE_ESCAPES: Record<string, string> = { '\\`': '`', '\\\\': '\\', '\\"': '"', '\\$': '$' };

/** Parses os-release-formatted text (also lsb-release, which shares the shell syntax). */
export function parseOsRelease(text: string): OsReleaseResult {
  const values = new Map<string, string>();
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq < 0) return { ok: false, reason: `osrelease: malformed line ${JSON.stringify(raw)}` };
    const key = line.slice(0, eq).trim();
    values.set(key, unquote(line.slice(eq + 1).trim()));
  }
  return { ok: true, values };
}

function unquote(value: string): string {
  if (value.startsWith("'")) {
    return trimChar(value, "'").replaceAll("'\\''", "'");
  }
  if (value.startsWith('"')) {
    // One left-to-right pass, as Go's strings.Replacer: "\\\\$" is "\\$", not "$".
    return trimChar(value, '"').replace(/\\[`\\"$]/g, (m) => DOUBLE_QUOTE_ESCAPES[m] ?? m);
  }
  return value;
}

/** Go's strings.Trim with a single character: removes every leading and trailing copy. */
function trimChar(value: string, c: string): string {
  let start = 0;
  let end = value.length;
  while (start < end && value[start] === c) start++;
  while (end > start && value[end - 1] === c) end--;
  return value.slice(start, end);
}
