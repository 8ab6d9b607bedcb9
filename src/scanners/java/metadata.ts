/**
 * @module The two metadata files a jar can identify itself with:
 * `META-INF/maven/**\/pom.properties` and the main section of
 * `META-INF/MANIFEST.MF` (claircore `java/jar`).
 */

/** What a metadata file gave: a name and version, or why it did not. */
export type Identified = { ok: true; name: string; version: string } | { ok: false; reason: 'unpopulated' | 'insane' };

/**
 * claircore `parseProperties`: trimmed `key=value` lines, exact keys
 * `groupId`, `artifactId`, `version` (reading stops once all three are
 * known); the name is `groupId:artifactId`.
 */
export function parsePomProperties(text: string): Identified {
  let group = '';
  let artifact = '';
  let version = '';
  for (const raw of text.split('\n')) {
    if (group !== '' && artifact !== '' && version !== '') break;
    const line = raw.trim();
    const eq = line.indexOf('=');
    if (eq < 0) continue;
    const key = line.slice(0, eq);
    const value = line.slice(eq + 1);
    if (key === 'groupId') group = value;
    else if (key === 'artifactId') artifact = value;
    else if (key === 'version') version = value;
  }
  if (group === '' || artifact === '' || version === '') return { ok: false, reason: 'unpopulated' };
  return { ok: true, name: `${group}:${artifact}`, version };
}

/**
 * The main section of a manifest as attributes (names case-insensitive, the
 * first occurrence wins), or `undefined` when a line is malformed.
 *
 * Per the jar specification a line starting with a single space continues
 * the previous value (manifests wrap at 72 bytes), and the main section ends
 * at the first blank line. Like claircore, a `Name:` line also ends it, since
 * manifests in the wild omit the blank line before per-entry sections.
 */
export function manifestMainSection(text: string): Map<string, string> | undefined {
  const attrs = new Map<string, string>();
  let key: string | undefined;
  let value = '';
  const flush = () => {
    if (key !== undefined && !attrs.has(key)) attrs.set(key, value.trim());
    key = undefined;
  };
  for (const line of text.split(/\r\n|\r|\n/)) {
    if (line === '') {
      if (key === undefined && attrs.size === 0) continue; // leading blank lines
      break;
    }
    if (line.startsWith(' ')) {
      if (key === undefined) return undefined;
      value += line.slice(1);
      continue;
    }
    if (line.startsWith('Name:')) break;
    flush();
    const colon = line.indexOf(':');
    if (colon <= 0 || /\s/.test(line.slice(0, colon))) return undefined;
    key = line.slice(0, colon).toLowerCase();
    value = line.slice(colon + 1);
  }
  flush();
  return attrs;
}

const GROUP_KEYS = ['group-id', 'bundle-symbolicname', 'implementation-vendor-id', 'implementation-vendor', 'specification-vendor'];
const ARTIFACT_KEYS = ['implementation-title', 'specification-title', 'bundle-name', 'extension-name', 'short-name'];
const VERSION_KEYS = ['bundle-version', 'implementation-version', 'plugin-version', 'specification-version'];

function firstSpaceFree(attrs: Map<string, string>, keys: readonly string[]): string {
  for (const k of keys) {
    let v = attrs.get(k) ?? '';
    if (k === 'bundle-symbolicname') v = v.split(';')[0]!.trim();
    if (v !== '' && !/\s/.test(v)) return v;
  }
  return '';
}

/**
 * claircore's manifest heuristics: sanity checks (some attribute, a
 * `Manifest-Version` containing a number, no `Name` in the main section),
 * then group, artifact and version from the first usable attribute of each
 * ordered list; the name is `group:artifact`, or just the group when no
 * artifact attribute is usable. A group and a version are required.
 */
export function identifyManifest(text: string): Identified {
  const attrs = manifestMainSection(text);
  if (attrs === undefined || attrs.size === 0) return { ok: false, reason: 'insane' };
  if (!/[0-9]+(\.[0-9]+)*/.test(attrs.get('manifest-version') ?? '')) return { ok: false, reason: 'insane' };
  if ((attrs.get('name') ?? '') !== '') return { ok: false, reason: 'insane' };
  const group = firstSpaceFree(attrs, GROUP_KEYS);
  const artifact = firstSpaceFree(attrs, ARTIFACT_KEYS);
  let version = '';
  for (const k of VERSION_KEYS) {
    const v = attrs.get(k) ?? '';
    if (v !== '') {
      version = v;
      break;
    }
  }
  if (group === '' || version === '') return { ok: false, reason: 'unpopulated' };
  return { ok: true, name: artifact === '' ? group : `${group}:${artifact}`, version };
}

const isPrintable = (c: number): boolean => c >= 0x21 && c <= 0x7e;
const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;
/** `[-.0-9A-Za-z]`, the characters of a version. */
const isVersionChar = (c: number): boolean => c === 0x2d || c === 0x2e || isDigit(c) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);

/**
 * claircore `nameRegexp`, `([!-~]+)-([0-9][-.0-9A-Za-z]*(?:-SNAPSHOT)?)\.jar`,
 * searched anywhere in `base` with the same leftmost-first answer, in linear
 * time: as a backtracking regular expression it takes cubic time on names
 * such as `a-1a-1…a-1.war`, and zip member names can be 64 KiB long.
 *
 * The match lies in one run of printable characters and starts where the
 * first run holding a match starts; the name is as long as it can be (the
 * last `-` followed by a version), and the version runs to the last `.jar`
 * among the version characters after it (`-SNAPSHOT` is made of version
 * characters, so it needs no case of its own).
 */
function matchJarName(base: string): { name: string; version: string } | undefined {
  const n = base.length;
  // jarAt[i]: start of the last `.jar` at or after i in the run of version characters holding i, else -1.
  const jarAt = new Int32Array(n + 1).fill(-1);
  for (let i = n - 1; i >= 0; i--) {
    if (!isVersionChar(base.charCodeAt(i))) continue;
    jarAt[i] = jarAt[i + 1]! >= 0 ? jarAt[i + 1]! : base.startsWith('.jar', i) ? i : -1;
  }
  for (let start = 0; start < n; ) {
    if (!isPrintable(base.charCodeAt(start))) {
      start++;
      continue;
    }
    let end = start;
    while (end < n && isPrintable(base.charCodeAt(end))) end++;
    for (let dash = end - 2; dash > start; dash--) {
      if (base.charCodeAt(dash) !== 0x2d || !isDigit(base.charCodeAt(dash + 1))) continue;
      const jar = jarAt[dash + 2]!;
      if (jar >= 0) return { name: base.slice(start, dash), version: base.slice(dash + 1, jar) };
    }
    start = end;
  }
  return undefined;
}

/** claircore `checkName`: a name and version guessed from the file name, `name-<digit…>(-SNAPSHOT)?.jar` anywhere in the base name. */
export function identifyFileName(path: string): Identified {
  const base = path.slice(path.lastIndexOf('/') + 1);
  const m = matchJarName(base);
  if (m === undefined) return { ok: false, reason: 'unpopulated' };
  return { ok: true, name: m.name, version: m.version };
}
