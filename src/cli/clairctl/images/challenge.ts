/**
 * @module `WWW-Authenticate` challenges (RFC 7235): `Bearer realm="…",
 * service="…",scope="…"` from token-authenticated registries, `Basic
 * realm="…"` from password-protected ones. A header may carry several
 * challenges; parameters are tokens or quoted strings with `\` escapes.
 * (Hand-written: the npm parsers for this header are unmaintained and
 * untyped, and the grammar is a dozen lines.)
 */

export interface Challenge {
  /** Lower-cased: `bearer`, `basic`. */
  scheme: string;
  /** Parameter names lower-cased. */
  params: Record<string, string>;
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+/;

export function parseChallenges(header: string): Challenge[] {
  const challenges: Challenge[] = [];
  let rest = header.trim();
  while (rest !== '') {
    rest = rest.replace(/^[\s,]+/, '');
    const scheme = TOKEN.exec(rest)?.[0];
    if (scheme === undefined) break;
    rest = rest.slice(scheme.length);
    const challenge: Challenge = { scheme: scheme.toLowerCase(), params: {} };
    challenges.push(challenge);
    for (;;) {
      const param = /^[\s,]*([!#$%&'*+.^_`|~0-9A-Za-z-]+)\s*=\s*/.exec(rest);
      if (param === null) break;
      rest = rest.slice(param[0].length);
      let value: string;
      if (rest.startsWith('"')) {
        let i = 1;
        value = '';
        while (i < rest.length && rest[i] !== '"') {
          if (rest[i] === '\\' && i + 1 < rest.length) i++;
          value += rest[i];
          i++;
        }
        rest = rest.slice(i + 1);
      } else {
        value = /^[^\s,]*/.exec(rest)![0];
        rest = rest.slice(value.length);
      }
      challenge.params[param[1]!.toLowerCase()] = value;
    }
  }
  return challenges;
}
