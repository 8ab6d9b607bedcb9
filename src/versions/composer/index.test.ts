import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { runSchemeConformance, withZeroPadding } from '../scheme.case.js';
import { canonicalizePhpVersion, compareStrings, composer, isDevBranch, normalizeBranch, normalizeComposer, parse, phpVersionCompare } from './index.js';

// VersionParser::normalize, input → output, as composer/semver's own test table has them.
const NORMALIZED: ReadonlyArray<readonly [string, string]> = [
  ['1.0.0', '1.0.0.0'],
  ['1.2.3.4', '1.2.3.4'],
  ['1.0.0RC1dev', '1.0.0.0-RC1-dev'],
  ['1.0.0-rC15-dev', '1.0.0.0-RC15-dev'],
  ['1.0.0.RC.15-dev', '1.0.0.0-RC15-dev'],
  ['1.0.0-rc1', '1.0.0.0-RC1'],
  ['1.0.0.pl3-dev', '1.0.0.0-patch3-dev'],
  ['1.0-dev', '1.0.0.0-dev'],
  ['0', '0.0.0.0'],
  ['10.4.13-beta', '10.4.13.0-beta'],
  ['10.4.13beta2', '10.4.13.0-beta2'],
  ['10.4.13-beta.2', '10.4.13.0-beta2'],
  ['v1.13.11-beta.0', '1.13.11.0-beta0'],
  ['1.13.11.0-beta0', '1.13.11.0-beta0'],
  ['10.4.13-b', '10.4.13.0-beta'],
  ['10.4.13-b5', '10.4.13.0-beta5'],
  ['v1.0.0', '1.0.0.0'],
  ['2010.01', '2010.01.0.0'],
  ['2010.01.02', '2010.01.02.0'],
  ['2010.1.555', '2010.1.555.0'],
  ['2010.10.200', '2010.10.200.0'],
  ['v20100102', '20100102'],
  ['2010-01-02', '2010.01.02'],
  ['2010-01-02.5', '2010.01.02.5'],
  ['20100102-203040', '20100102.203040'],
  ['20100102203040-10', '20100102203040.10'],
  ['20100102-203040-p1', '20100102.203040-patch1'],
  ['201903.0', '201903.0'],
  ['201903.0-p2', '201903.0-patch2'],
  ['dev-master', 'dev-master'],
  ['master', 'dev-master'],
  ['dev-trunk', 'dev-trunk'],
  ['1.x-dev', '1.9999999.9999999.9999999-dev'],
  ['dev-feature-foo', 'dev-feature-foo'],
  ['DEV-FOOBAR', 'dev-FOOBAR'],
  ['dev-feature/foo', 'dev-feature/foo'],
  ['dev-feature+issue-1', 'dev-feature+issue-1'],
  ['dev-master as 1.0.0', 'dev-master'],
  ['dev-load-varnish-only-when-used as ^2.0', 'dev-load-varnish-only-when-used'],
  ['dev-load-varnish-only-when-used@dev as ^2.0@dev', 'dev-load-varnish-only-when-used'],
  ['1.0.0+foo@dev', '1.0.0.0'],
  ['dev-load-varnish-only-when-used@stable', 'dev-load-varnish-only-when-used'],
  ['1.0.0-beta.5+foo', '1.0.0.0-beta5'],
  ['1.0.0+foo', '1.0.0.0'],
  ['1.0.0-alpha.3.1+foo', '1.0.0.0-alpha3.1'],
  ['1.0.0-alpha2.1+foo', '1.0.0.0-alpha2.1'],
  ['1.0.0-alpha-2.1-3+foo', '1.0.0.0-alpha2.1-3'],
  ['1.0.0+foo as 2.0', '1.0.0.0'],
  ['00.01.03.04', '00.01.03.04'],
  ['000.001.003.004', '000.001.003.004'],
  ['0.000.103.204', '0.000.103.204'],
  ['0700', '0700.0.0.0'],
  ['041.x-dev', '041.9999999.9999999.9999999-dev'],
  ['dev-041.003', 'dev-041.003'],
  ['dev-1.0.0-dev<1.0.5-dev', 'dev-1.0.0-dev<1.0.5-dev'],
  ['dev-foo bar', 'dev-foo bar'],
  [' 1.0.0', '1.0.0.0'],
  ['1.0.0 ', '1.0.0.0'],
  // Quirks kept from composer/semver 3.3: "stable" is matched case-sensitively, and "stable" drops "-dev".
  ['1.0.0-STABLE', '1.0.0.0-stable'],
  ['1.0.0-stable-dev', '1.0.0.0'],
  ['V1.X-dev', '1.9999999.9999999.9999999-dev'],
  ['123456', '123456'],
];

// What composer/semver refuses ("Invalid version string").
const INVALID = [
  '',
  'a',
  '1.0.0-meh',
  '1.0.0.0.0',
  'feature-foo',
  '1.0.0+foo bar',
  '1.0.1-SNAPSHOT',
  '1.0.0<1.0.5-dev',
  '1.0.0-dev<1.0.5-dev',
  'foo bar-dev',
  '1.0 .2',
  ' as ',
  ' as 1.2',
  '^',
  '~1',
  '^1',
  '1.*',
  '20100102.0.3.4',
  'dev',
];

const EQUAL: string[][] = [
  ['1.0.0', '1', '1.0', 'v1.0.0', '1.0.0.0', '1.0.0+build.7', '1.0.0@stable', '1.0.0-stable', '1.0 as 2.0', '01.0'],
  ['1.0.0-RC1', '1.0.0rc1', '1.0.0.RC.1', '1.0.0-rc.1', 'v1.0.0-RC1+x'],
  ['2.1-beta2', '2.1.0.0-b2', '2.1b2', '2.1-beta.2', '2.1_beta2'],
  ['3.0-patch1', '3.0-pl1', '3.0-p1', '3.0.0.0-patch1'],
  ['1.0.0-alpha2.1-3', '1.0.0-alpha2.1.3', '1.0.0-a2-1-3'],
  ['2.x-dev', '2.X-dev', '2.*-dev', 'v2.x-dev', '2.9999999.9999999.9999999-dev'],
  ['dev-main', 'dev-main@dev', 'DEV-main'],
  ['dev-master', 'master'],
];

const ORDERED = [
  'dev-feature/x',
  'dev-master',
  '0.1',
  '1.0.0-dev',
  '1.0.0-alpha',
  '1.0.0-alpha1-dev',
  '1.0.0-alpha1',
  '1.0.0-alpha2',
  '1.0.0-beta',
  '1.0.0-beta.2',
  '1.0.0-beta10',
  '1.0.0-RC1',
  '1.0.0',
  '1.0.0-patch1',
  '1.0.0.1',
  '1.0.1',
  '1.1-dev',
  '1.1',
  '1.x-dev',
  '2.0',
  '2010.01.02',
  '20100102',
];

const number = fc.oneof(fc.nat({ max: 30 }), fc.nat({ max: 9999 })).map(String);
const word = fc.constantFrom('alpha', 'a', 'beta', 'b', 'RC', 'rc', 'patch', 'pl', 'p', 'stable');
const numbered = fc
  .tuple(fc.boolean(), fc.array(number, { minLength: 1, maxLength: 4 }), fc.option(fc.tuple(word, fc.option(fc.nat({ max: 12 })))), fc.boolean())
  .map(([v, release, stability, dev]) => `${v ? 'v' : ''}${release.join('.')}${stability ? `-${stability[0]}${stability[1] ?? ''}` : ''}${dev ? '-dev' : ''}`);
const branch = fc.constantFrom('dev-master', 'dev-main', 'dev-feature/x', '1.x-dev', '2.0.x-dev', 'dev-1.0');
const composerArb = fc.oneof({ weight: 6, arbitrary: numbered }, { weight: 1, arbitrary: branch });

const LONG: Record<string, string[]> = { alpha: ['alpha', 'a', 'ALPHA'], beta: ['beta', 'b', 'Beta'], RC: ['RC', 'rc', 'Rc'], patch: ['patch', 'pl', 'p', 'PL'] };
// Two spellings of one version: v prefix, padding, stability short/long/case, separators, build metadata.
const equivalent = fc
  .tuple(
    fc.array(fc.nat({ max: 99 }).map(String), { minLength: 1, maxLength: 3 }),
    fc.option(fc.tuple(fc.constantFrom('alpha', 'beta', 'RC', 'patch'), fc.option(fc.nat({ max: 9 })))),
    fc.boolean(),
    fc.tuple(fc.nat(), fc.nat(), fc.constantFrom('-', '.', '_', ''), fc.constantFrom('-', '.', '')),
  )
  .map(([release, stability, dev, [i, j, sep, devSep]]) => {
    const spell = (which: number, padded: boolean, v: boolean, build: boolean) => {
      const rel = padded ? [...release, ...Array<string>(4 - release.length).fill('0')] : release;
      const stab = stability ? `${sep}${LONG[stability[0]]![which % LONG[stability[0]]!.length]}${stability[1] ?? ''}` : '';
      return `${v ? 'v' : ''}${rel.join('.')}${stab}${dev ? `${devSep}dev` : ''}${build ? '+b.1' : ''}`;
    };
    return [spell(i, false, false, false), spell(j, true, true, true)] as const;
  });

runSchemeConformance(composer, {
  equalSpellings: EQUAL,
  orderedList: ORDERED,
  invalid: INVALID,
  arbitrary: composerArb,
  equivalent: fc.oneof(equivalent, withZeroPadding(numbered.filter((t) => !t.includes('.x')))),
});

describe('composer', () => {
  it('normalizes as composer/semver VersionParser::normalize', () => {
    for (const [input, want] of NORMALIZED) assert.equal(normalizeComposer(input), want, `normalize(${JSON.stringify(input)})`);
    for (const input of INVALID) assert.equal(normalizeComposer(input), undefined, `normalize(${JSON.stringify(input)}) should fail`);
  });

  it('normalizes numeric branches to 9999999 and others to dev-<name>', () => {
    assert.equal(normalizeBranch('v1.2.x'), '1.2.9999999.9999999-dev');
    assert.equal(normalizeBranch('2.*'), '2.9999999.9999999.9999999-dev');
    assert.equal(normalizeBranch('feature'), 'dev-feature');
  });

  it('orders stabilities -dev < -alpha < -beta < -RC < stable < -patch', () => {
    const order = ['1.0-dev', '1.0-alpha', '1.0-beta', '1.0-RC', '1.0', '1.0-patch'];
    for (let i = 0; i + 1 < order.length; i++) assert.equal(compareStrings(order[i]!, order[i + 1]!), -1, `${order[i]} < ${order[i + 1]}`);
  });

  it('tells branches apart from numbered versions', () => {
    assert.equal(isDevBranch('dev-main'), true);
    assert.equal(isDevBranch('master'), true);
    assert.equal(isDevBranch('1.x-dev'), false);
    assert.equal(isDevBranch('v2.3.0'), false);
    assert.equal(isDevBranch('junk'), false);
    const p = parse('dev-main');
    assert.ok(p.ok && p.version.branch);
  });

  it('compares like PHP version_compare, canonicalizing first', () => {
    assert.equal(canonicalizePhpVersion('1.0rc1-dev_x+y'), '1.0.rc.1.dev.x.y');
    // Dots collapse; a symbol right after a digit is kept (PHP's digit/non-digit rule runs first).
    assert.equal(canonicalizePhpVersion('1..2//3'), '1.2./.3');
    assert.equal(phpVersionCompare('1.0', '1.0.0'), -1);
    assert.equal(phpVersionCompare('1.0.0.0-beta', '1.0.0.0-beta0'), -1);
    assert.equal(phpVersionCompare('1.0.0.0-patch1', '1.0.0.1'), -1);
    assert.equal(phpVersionCompare('1.0-foo', '1.0-dev'), -1); // an unknown word ranks below dev
    assert.equal(phpVersionCompare('', '0'), -1);
    assert.equal(phpVersionCompare('99999999999999999999', '9223372036854775807'), 0); // strtol saturates
  });

  it('gives a reason for invalid strings', () => {
    assert.deepEqual(parse('1.0.0-meh'), { ok: false, reason: 'composer: invalid version string "1.0.0-meh"' });
    assert.equal(compareStrings('1.0', '^1'), undefined);
  });
});

const SEMVER_AUTOLOAD = '/usr/share/php/Composer/Semver/autoload.php';
const ORACLE = `<?php
require '${SEMVER_AUTOLOAD}';
$p = new Composer\\Semver\\VersionParser();
$in = json_decode(file_get_contents('php://stdin'), true);
$out = ['normalized' => [], 'compared' => []];
foreach ($in['versions'] as $v) {
  try { $out['normalized'][] = $p->normalize($v); } catch (\\Exception $e) { $out['normalized'][] = null; }
}
foreach ($in['pairs'] as $pair) $out['compared'][] = version_compare($pair[0], $pair[1]);
echo json_encode($out);
`;

/** Why the PHP oracle cannot run, or undefined. */
function oracleMissing(): string | undefined {
  const php = spawnSync('php', ['-r', 'echo PHP_VERSION;'], { encoding: 'utf8' });
  if (php.status !== 0) return 'php is not installed (apt-get install php-cli php-composer-semver)';
  if (!existsSync(SEMVER_AUTOLOAD)) return `composer/semver is not installed (${SEMVER_AUTOLOAD}; apt-get install php-composer-semver)`;
  return undefined;
}

describe('composer against PHP and composer/semver', () => {
  it('normalizes and compares exactly as composer/semver and version_compare do', (t) => {
    const missing = oracleMissing();
    if (missing !== undefined) {
      if (process.env.CI) assert.fail(`the PHP oracle is required in CI: ${missing}`);
      t.skip(missing);
      return;
    }
    // Curated strings, then random ones over an alphabet full of the parser's delimiters.
    const rand = fc.string({ unit: fc.constantFrom(...'0123456789..--_+abplrcRCdevstxX*# @\nvV,'), maxLength: 14 });
    const words = fc.array(fc.constantFrom('1', '2', '10', '0', '.', '-', 'dev', 'alpha', 'a', 'beta', 'b', 'RC', 'p', 'pl', 'patch', 'stable', 'x', 'v', ' as ', '@dev', '+b', '\n'), { maxLength: 7 }).map((w) => w.join(''));
    const versions = [
      ...NORMALIZED.map(([v]) => v),
      ...INVALID,
      ...EQUAL.flat(),
      ...ORDERED,
      ...fc.sample(fc.oneof(rand, words, composerArb), { numRuns: 4000, seed: 4242 }),
    ];
    const normalized = versions.map((v) => normalizeComposer(v) ?? null);
    const numbered = normalized.filter((n): n is string => n !== null && !n.startsWith('dev-'));
    const pairs = fc.sample(fc.tuple(fc.constantFrom(...numbered), fc.constantFrom(...numbered)), { numRuns: 4000, seed: 7 });
    pairs.push(...fc.sample(fc.tuple(rand, rand), { numRuns: 2000, seed: 8 }));
    // The script is given with -r, so standard input carries the data.
    const script = spawnSync('php', ['-r', ORACLE.replace('<?php', '')], { input: JSON.stringify({ versions, pairs }), encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    assert.equal(script.status, 0, script.stderr);
    const out = JSON.parse(script.stdout) as { normalized: (string | null)[]; compared: number[] };
    const wrongNormal = versions.flatMap((v, i) => (out.normalized[i] === normalized[i] ? [] : [`${JSON.stringify(v)}: php ${JSON.stringify(out.normalized[i])}, ours ${JSON.stringify(normalized[i])}`]));
    assert.deepEqual(wrongNormal, []);
    const wrongOrder = pairs.flatMap(([a, b], i) => (out.compared[i] === phpVersionCompare(a, b) ? [] : [`${JSON.stringify(a)} vs ${JSON.stringify(b)}: php ${out.compared[i]}, ours ${phpVersionCompare(a, b)}`]));
    assert.deepEqual(wrongOrder, []);
  });
});
