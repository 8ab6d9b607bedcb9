/**
 * @module Package URLs as Red Hat's VEX product tree carries them
 * (`pkg:rpm/redhat/openssl@3.0.7-27.el9?arch=x86_64&epoch=1`,
 * `pkg:oci/ubi9@sha256%3A…?arch=amd64&repository_url=registry.redhat.io/ubi9&tag=9.3-1361`),
 * parsed as the purl specification (and packageurl-go, which claircore uses)
 * does: percent-decoded components, lower-cased type and qualifier keys,
 * qualifiers sorted by key, empty qualifier values discarded.
 *
 * Pure: no I/O. {@link parsePurl} returns a reason instead of throwing.
 */

/** A parsed package URL. */
export interface Purl {
  /** Lower-cased, e.g. `rpm`, `oci`. */
  readonly type: string;
  /** Decoded, `/`-joined; `''` when absent. */
  readonly namespace: string;
  readonly name: string;
  /** Decoded; `''` when absent. */
  readonly version: string;
  /** Sorted by key; keys lower-cased, values decoded and non-empty. */
  readonly qualifiers: ReadonlyArray<readonly [string, string]>;
  readonly subpath: string;
}

/** A parsed purl, or why the text is not one. */
export type PurlResult = { ok: true; purl: Purl } | { ok: false; reason: string };

const TYPE = /^[A-Za-z.+-][A-Za-z0-9.+-]*$/;
const QUALIFIER_KEY = /^[a-z.\-_][a-z0-9.\-_]*$/;

function decode(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

/** Parses a `pkg:` URL; the reason names what is wrong. */
export function parsePurl(text: string): PurlResult {
  const fail = (why: string): PurlResult => ({ ok: false, reason: `purl ${JSON.stringify(text)}: ${why}` });
  if (!text.startsWith('pkg:')) return fail('scheme is not "pkg"');
  let rest = text.slice(4).replace(/^\/+/, '');

  let subpath = '';
  const hash = rest.indexOf('#');
  if (hash >= 0) {
    const segments = rest.slice(hash + 1).split('/').filter((s) => s !== '' && s !== '.' && s !== '..');
    const decoded = segments.map(decode);
    if (decoded.some((s) => s === undefined)) return fail('subpath is not valid percent-encoding');
    subpath = decoded.join('/');
    rest = rest.slice(0, hash);
  }

  const qualifiers = new Map<string, string>();
  const question = rest.indexOf('?');
  if (question >= 0) {
    for (const pair of rest.slice(question + 1).split('&')) {
      if (pair === '') continue;
      const eq = pair.indexOf('=');
      if (eq < 0) return fail(`qualifier ${JSON.stringify(pair)} has no "="`);
      const key = decode(pair.slice(0, eq))?.toLowerCase();
      const value = decode(pair.slice(eq + 1));
      if (key === undefined || value === undefined) return fail('qualifier is not valid percent-encoding');
      if (!QUALIFIER_KEY.test(key)) return fail(`qualifier key ${JSON.stringify(key)} is not valid`);
      if (qualifiers.has(key)) return fail(`qualifier ${JSON.stringify(key)} is repeated`);
      if (value !== '') qualifiers.set(key, value); // the spec discards empty values
    }
    rest = rest.slice(0, question);
  }

  rest = rest.replace(/\/+$/, '');
  const slash = rest.indexOf('/');
  if (slash <= 0) return fail('has no type or no name');
  const type = rest.slice(0, slash).toLowerCase();
  if (!TYPE.test(type)) return fail(`type ${JSON.stringify(type)} is not valid`);
  rest = rest.slice(slash + 1);

  let version = '';
  const at = rest.lastIndexOf('@');
  if (at >= 0) {
    const decoded = decode(rest.slice(at + 1));
    if (decoded === undefined) return fail('version is not valid percent-encoding');
    version = decoded;
    rest = rest.slice(0, at);
  }

  const segments = rest.split('/').filter((s) => s !== '');
  const decodedSegments = segments.map(decode);
  if (decodedSegments.some((s) => s === undefined)) return fail('namespace or name is not valid percent-encoding');
  const name = decodedSegments.pop();
  if (name === undefined || name === '') return fail('has no name');
  return {
    ok: true,
    purl: {
      type,
      namespace: decodedSegments.join('/'),
      name,
      version,
      qualifiers: [...qualifiers.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
      subpath,
    },
  };
}

/** The value of a qualifier, if present. */
export function qualifier(purl: Purl, key: string): string | undefined {
  return purl.qualifiers.find(([k]) => k === key)?.[1];
}
