/**
 * @module Ruby gem scanner (claircore `ruby.Scanner`, version 3): installed
 * gem specifications (`…/specifications/<gem>.gemspec`, the normalised Ruby
 * files RubyGems writes) are read line by line; `x.name = …` and
 * `x.version = …` give the name and version, with quotes and `.freeze`
 * removed (the last matching line wins, as in claircore).
 */
import type { ScannedPackage, ScannedRepository } from '../../model/scanned.js';
import type { PackageScanner } from '../../indexer/scanner.js';
import { baseStartsWith, checkAborted, ENTRIES_PER_TURN, nextTurn, readSmallText } from '../internal/layer-files.js';

/** Persisted identity; changing it is a migration. */
export const RUBY_PACKAGE_SCANNER_NAME = 'ruby';
export const RUBY_PACKAGE_SCANNER_VERSION = '3';
export const RUBY_PACKAGE_SCANNER_KIND = 'package';

/** The repository every gem is attributed to. */
export const RUBYGEMS_REPOSITORY: ScannedRepository = { name: 'rubygems', key: '', uri: 'https://rubygems.org/gems/', cpe: '' };

/** Gemspecs larger than this (4 MiB) are not installed specifications. */
export const GEMSPEC_LIMIT = 4 * 1024 * 1024;

const SPECIFICATIONS = '/specifications/';
const GEMSPEC = '.gemspec';

/**
 * claircore's path pattern `.*\/specifications\/.+\.gemspec`, unanchored as
 * Go's `MatchString`: some `/specifications/`, then at least one character,
 * then `.gemspec`, with no newline in between (Go's `.` matches any other
 * character, `\r` included). Found with `indexOf` in one forward pass: the
 * pattern run by a backtracking engine takes time growing faster than the
 * square of the path's length (1.5 s for 4.5 KB of `specifications/`, 9 s
 * for 9 KB). Within one line the first `/specifications/` is the best start;
 * a line that fails is skipped whole.
 */
export function isGemspecPath(path: string): boolean {
  // The first `.gemspec` at or after where the last search began (searches never go back).
  let gemspec = -1;
  for (let from = 0; ; ) {
    const at = path.indexOf(SPECIFICATIONS, from);
    if (at < 0) return false;
    const rest = at + SPECIFICATIONS.length;
    if (gemspec < rest + 1) {
      gemspec = path.indexOf(GEMSPEC, rest + 1);
      if (gemspec < 0) return false;
    }
    const newline = path.indexOf('\n', rest);
    if (newline < 0 || gemspec < newline) return true;
    from = newline + 1;
  }
}

// claircore's line patterns.
const NAME_LINE = /^\S+\.\s*name\s*=\s*(\S+)$/;
const VERSION_LINE = /^\S+\.\s*version\s*=\s*(\S+)$/;

/** A gemspec value without surrounding space, `.freeze`, or quotes. */
function trimValue(value: string): string {
  let s = value.trim();
  if (s.endsWith('.freeze')) s = s.slice(0, -'.freeze'.length);
  return s.replace(/^['"]+|['"]+$/g, '');
}

/** The name and version a gemspec declares, if both are found. */
export function parseGemspec(text: string): { name: string; version: string } | undefined {
  let name = '';
  let version = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    const n = NAME_LINE.exec(line);
    if (n) name = trimValue(n[1]!);
    const v = VERSION_LINE.exec(line);
    if (v) version = trimValue(v[1]!);
  }
  return name === '' || version === '' ? undefined : { name, version };
}

/** Finds installed gems. */
export const rubyPackageScanner = {
  name: RUBY_PACKAGE_SCANNER_NAME,
  version: RUBY_PACKAGE_SCANNER_VERSION,
  kind: RUBY_PACKAGE_SCANNER_KIND,
  defaultRepository: RUBYGEMS_REPOSITORY,
  async scan(layer, context) {
    checkAborted(context);
    const out: ScannedPackage[] = [];
    let seen = 0;
    for (const { path, type } of layer.entries()) {
      if (++seen % ENTRIES_PER_TURN === 0) await nextTurn(context);
      if (type !== 'file' || baseStartsWith(path, '.wh.') || !isGemspecPath(path)) continue;
      checkAborted(context);
      const text = await readSmallText(layer, path, RUBY_PACKAGE_SCANNER_NAME, GEMSPEC_LIMIT);
      const gem = text === undefined ? undefined : parseGemspec(text);
      if (gem === undefined) continue;
      out.push({
        name: gem.name,
        version: gem.version,
        kind: 'binary',
        arch: '',
        module: '',
        cpe: '',
        packageDb: `ruby:${path}`,
        filepath: path,
        repositoryHint: RUBYGEMS_REPOSITORY.name,
      });
    }
    return out;
  },
} satisfies PackageScanner;
