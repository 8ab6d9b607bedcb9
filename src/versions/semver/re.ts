/**
 * @module The regular expressions of npm/node-semver (`internal/re.js`),
 * including its ReDoS guard (`makeSafeRegex`), so that what parses here is
 * exactly what parses for npm.
 */

/** node-semver `MAX_LENGTH`. */
export const MAX_LENGTH = 256;
const MAX_SAFE_BUILD_LENGTH = MAX_LENGTH - 6;
const LETTERDASHNUMBER = '[a-zA-Z0-9-]';

const SAFE_REPLACEMENTS: ReadonlyArray<readonly [string, number]> = [
  ['\\s', 1],
  ['\\d', MAX_LENGTH],
  [LETTERDASHNUMBER, MAX_SAFE_BUILD_LENGTH],
];

function makeSafe(value: string): string {
  let v = value;
  for (const [token, max] of SAFE_REPLACEMENTS) {
    v = v.split(`${token}*`).join(`${token}{0,${max}}`).split(`${token}+`).join(`${token}{1,${max}}`);
  }
  return v;
}

const src = {
  NUMERICIDENTIFIER: '0|[1-9]\\d*',
  NUMERICIDENTIFIERLOOSE: '\\d+',
  NONNUMERICIDENTIFIER: `\\d*[a-zA-Z-]${LETTERDASHNUMBER}*`,
} as Record<string, string>;

function def(name: string, value: string): string {
  src[name] = value;
  return value;
}

def('MAINVERSION', `(${src.NUMERICIDENTIFIER})\\.(${src.NUMERICIDENTIFIER})\\.(${src.NUMERICIDENTIFIER})`);
def('MAINVERSIONLOOSE', `(${src.NUMERICIDENTIFIERLOOSE})\\.(${src.NUMERICIDENTIFIERLOOSE})\\.(${src.NUMERICIDENTIFIERLOOSE})`);
def('PRERELEASEIDENTIFIER', `(?:${src.NONNUMERICIDENTIFIER}|${src.NUMERICIDENTIFIER})`);
def('PRERELEASEIDENTIFIERLOOSE', `(?:${src.NONNUMERICIDENTIFIER}|${src.NUMERICIDENTIFIERLOOSE})`);
def('PRERELEASE', `(?:-(${src.PRERELEASEIDENTIFIER}(?:\\.${src.PRERELEASEIDENTIFIER})*))`);
def('PRERELEASELOOSE', `(?:-?(${src.PRERELEASEIDENTIFIERLOOSE}(?:\\.${src.PRERELEASEIDENTIFIERLOOSE})*))`);
def('BUILDIDENTIFIER', `${LETTERDASHNUMBER}+`);
def('BUILD', `(?:\\+(${src.BUILDIDENTIFIER}(?:\\.${src.BUILDIDENTIFIER})*))`);
def('FULLPLAIN', `v?${src.MAINVERSION}${src.PRERELEASE}?${src.BUILD}?`);
def('LOOSEPLAIN', `[v=\\s]*${src.MAINVERSIONLOOSE}${src.PRERELEASELOOSE}?${src.BUILD}?`);
def('GTLT', '((?:<|>)?=?)');
def('XRANGEIDENTIFIERLOOSE', `${src.NUMERICIDENTIFIERLOOSE}|x|X|\\*`);
def('XRANGEIDENTIFIER', `${src.NUMERICIDENTIFIER}|x|X|\\*`);
def(
  'XRANGEPLAIN',
  `[v=\\s]*(${src.XRANGEIDENTIFIER})(?:\\.(${src.XRANGEIDENTIFIER})(?:\\.(${src.XRANGEIDENTIFIER})(?:${src.PRERELEASE})?${src.BUILD}?)?)?`,
);
def(
  'XRANGEPLAINLOOSE',
  `[v=\\s]*(${src.XRANGEIDENTIFIERLOOSE})(?:\\.(${src.XRANGEIDENTIFIERLOOSE})(?:\\.(${src.XRANGEIDENTIFIERLOOSE})(?:${src.PRERELEASELOOSE})?${src.BUILD}?)?)?`,
);
def('LONETILDE', '(?:~>?)');
def('LONECARET', '(?:\\^)');

function re(value: string, flags = ''): RegExp {
  return new RegExp(makeSafe(value), flags);
}

/** The compiled expressions used by the parser and range code. */
export const RE = {
  FULL: re(`^${src.FULLPLAIN}$`),
  LOOSE: re(`^${src.LOOSEPLAIN}$`),
  BUILD: re(src.BUILD!),
  XRANGE: re(`^${src.GTLT}\\s*${src.XRANGEPLAIN}$`),
  XRANGELOOSE: re(`^${src.GTLT}\\s*${src.XRANGEPLAINLOOSE}$`),
  TILDETRIM: re(`(\\s*)${src.LONETILDE}\\s+`, 'g'),
  TILDE: re(`^${src.LONETILDE}${src.XRANGEPLAIN}$`),
  TILDELOOSE: re(`^${src.LONETILDE}${src.XRANGEPLAINLOOSE}$`),
  CARETTRIM: re(`(\\s*)${src.LONECARET}\\s+`, 'g'),
  CARET: re(`^${src.LONECARET}${src.XRANGEPLAIN}$`),
  CARETLOOSE: re(`^${src.LONECARET}${src.XRANGEPLAINLOOSE}$`),
  COMPARATORLOOSE: re(`^${src.GTLT}\\s*(${src.LOOSEPLAIN})$|^$`),
  COMPARATOR: re(`^${src.GTLT}\\s*(${src.FULLPLAIN})$|^$`),
  COMPARATORTRIM: re(`(\\s*)${src.GTLT}\\s*(${src.LOOSEPLAIN}|${src.XRANGEPLAIN})`, 'g'),
  HYPHENRANGE: re(`^\\s*(${src.XRANGEPLAIN})\\s+-\\s+(${src.XRANGEPLAIN})\\s*$`),
  HYPHENRANGELOOSE: re(`^\\s*(${src.XRANGEPLAINLOOSE})\\s+-\\s+(${src.XRANGEPLAINLOOSE})\\s*$`),
  STAR: re('(<|>)?=?\\s*\\*'),
  GTE0: re('^\\s*>=\\s*0\\.0\\.0\\s*$'),
  GTE0PRE: re('^\\s*>=\\s*0\\.0\\.0-0\\s*$'),
} as const;
