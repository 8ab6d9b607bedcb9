import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { testConfig } from '../test-support/config.js';
import { isClairError } from '../lib/errors.js';
import { resolvePlugins } from './plugins.js';
import { DEFAULT_SET_FACTORIES } from './defaults/updaters.js';
import type { Mode } from '../config/types.js';

/** Addresses single modes require, so only the plug-in blocks can be wrong. */
const ADDRESSES = { matcher: { disable_updaters: false, indexer_addr: 'http://indexer/' }, notifier: { indexer_addr: 'http://indexer/', matcher_addr: 'http://matcher/' } };
const resolve = (raw: Record<string, unknown>, mode: Mode = 'combo') => resolvePlugins(testConfig(mode, { ...ADDRESSES, ...raw }), mode);

/** The CONFIG_INVALID message `resolve` throws. */
function problems(raw: Record<string, unknown>, mode: Mode = 'combo'): string {
  try {
    resolve(raw, mode);
  } catch (err) {
    assert.ok(isClairError(err, 'CONFIG_INVALID'), String(err));
    return err.message;
  }
  assert.fail('expected CONFIG_INVALID');
}

describe('plug-in resolution', () => {
  it('selects every default set, enricher and matcher, with rhel-container-matcher on by default, and no lints', () => {
    const plugins = resolve({});
    // The vulnerability sets (listed in src/app/defaults/defaults.test.ts), then the enrichers'.
    assert.deepEqual(plugins.factories.map((f) => f.name), [...DEFAULT_SET_FACTORIES.map((f) => f.name), 'clair.cvss', 'clair.epss', 'clair.kev']);
    for (const name of ['alpine', 'aws', 'azurelinux', 'chainguard', 'debian', 'oracle', 'osv', 'photon', 'rhel-vex', 'suse', 'ubuntu', 'wolfi']) assert.ok(plugins.factories.some((f) => f.name === name), name);
    assert.deepEqual(plugins.enrichers.map((e) => e.name), ['clair.cvss', 'clair.epss', 'clair.kev']);
    assert.ok(plugins.matchers.some((m) => m.name === 'rhel-container-matcher'));
    for (const name of ['alpine-matcher', 'aws-matcher', 'debian-matcher', 'gobin', 'java-maven', 'oracle', 'photon', 'python', 'rhel', 'rhel-container-matcher', 'ruby-gem', 'suse', 'ubuntu-matcher']) {
      assert.ok(plugins.matchers.some((m) => m.name === name), `Clair's default matcher ${name}`);
    }
    assert.deepEqual(plugins.lints, []);
  });

  it('accepts the names older Clair releases used, with a lint naming the replacement', () => {
    const plugins = resolve({ updaters: { sets: ['rhel', 'alpine', 'pyupio', 'rhcc'], config: { rhel: { url: 'http://x/' } } }, matchers: { names: ['crda', 'python'], config: { crda: { url: 'http://x/' } } } });
    assert.deepEqual(plugins.factories.map((f) => f.name), ['alpine']);
    assert.deepEqual(plugins.matchers.map((m) => m.name), ['python']);
    const messages = plugins.lints.map((l) => `${l.path}: ${l.message}`);
    assert.ok(messages.some((m) => m.startsWith('updaters.sets: "rhel" is no longer a Clair updater set') && m.includes('rhel-vex')), messages.join('\n'));
    assert.ok(messages.some((m) => m.startsWith('updaters.sets: "pyupio"') && m.includes('use osv')));
    assert.ok(messages.some((m) => m.startsWith('updaters.sets: "rhcc"') && m.includes('rhel-vex')));
    assert.ok(messages.some((m) => m.startsWith('updaters.config.rhel: ') && m.includes('ignored')));
    assert.ok(messages.some((m) => m.startsWith('matchers.names: "crda" is no longer a Clair matcher') && m.includes('java-maven')));
    assert.ok(messages.some((m) => m.startsWith('matchers.config.crda: ')));
  });

  it('refuses unknown names and bad enricher blocks, naming each problem at once', () => {
    const message = problems({ updaters: { sets: ['alpine', 'alpien', 'clair.cvss'], config: { 'clair.cvss': { feed_root: 'https://nvd.mirror.example/feeds' } } }, matchers: { names: ['python', 'pyhton'] } });
    const lines = message.split('\n');
    assert.equal(lines.length, 3, message);
    assert.match(message, /config: updaters\.sets: unknown updater set "alpien" \(known: alpine, aws,.* clair\.cvss, clair\.epss, clair\.kev\)/);
    assert.match(message, /^config: updaters\.config\.clair\.cvss\.feed_root: URL missing trailing slash: "https:\/\/nvd\.mirror\.example\/feeds"$/m);
    assert.match(message, /config: matchers\.names: unknown matcher "pyhton"/);
  });

  it('runs the enrichers named in updaters.sets, and their config blocks are checked like any set\'s', () => {
    const plugins = resolve({
      updaters: { sets: ['clair.cvss', 'clair.epss'], config: { 'clair.cvss': { feed_root: 'https://nvd.mirror.example/' }, 'clair.epss': { url: 'https://epss.mirror.example/epss_scores-current.csv.gz', typo: 1 } } },
    });
    assert.deepEqual(plugins.factories.map((f) => f.name), ['clair.cvss', 'clair.epss']);
    assert.deepEqual(plugins.lints, [{ path: 'updaters.config.clair.epss.typo', message: 'unknown key, ignored (known: url)' }]);
    assert.match(problems({ updaters: { sets: ['clair.epss'], config: { 'clair.epss': { url: 'https://epss.mirror.example/scores.csv' } } } }), /^config: updaters\.config\.clair\.epss\.url: expected a '\.gz' file/);
    assert.match(problems({ updaters: { sets: ['clair.kev'], config: { 'clair.kev': { feed_root: 42 } } } }), /^config: updaters\.config\.clair\.kev\.feed_root: must be a string, got number$/);
  });

  it('leaves the enrichers out of the defaults and reports with matcher.disable_enrichment, but runs one named explicitly', () => {
    const off = resolve({ matcher: { ...ADDRESSES.matcher, disable_enrichment: true } });
    assert.deepEqual(off.enrichers, []);
    assert.ok(!off.factories.some((f) => f.name.startsWith('clair.')));
    const named = resolve({ matcher: { ...ADDRESSES.matcher, disable_enrichment: true }, updaters: { sets: ['clair.kev'] } });
    assert.deepEqual([named.factories.map((f) => f.name), named.enrichers], [['clair.kev'], []]);
  });

  it('checks matcher config blocks: ignore_unpatched must be a boolean; unknown keys and matchers are lints', () => {
    assert.match(problems({ matchers: { config: { rhel: { ignore_unpatched: 'yes' } } } }), /^config: matchers\.config\.rhel\.ignore_unpatched: expected a boolean, got "yes"$/);
    const { lints } = resolve({ matchers: { config: { rhel: { ignore_unpatched: true, typo: 1 }, nosuch: {} } } });
    assert.deepEqual(lints, [
      { path: 'matchers.config.rhel.typo', message: 'unknown key; ignored' },
      { path: 'matchers.config.nosuch', message: 'no matcher is named "nosuch"; this block is ignored' },
    ]);
  });

  it('checks scanner config blocks with the scanner\'s own rules', () => {
    assert.match(problems({ indexer: { scanner: { repo: { 'rhel-repository-scanner': { timeout: 'soon' } } } } }), /^config: indexer\.scanner\.repo\.rhel-repository-scanner\.timeout: invalid duration "soon"/);
    assert.match(problems({ indexer: { scanner: { package: { rhel_containerscanner: { name2repos_mapping_url: 7 } } } } }), /^config: indexer\.scanner\.package\.rhel_containerscanner\.name2repos_mapping_url: must be a string$/);
    const { lints } = resolve({ indexer: { scanner: { repo: { 'rhel-repository-scanner': { repo2cpe_mapping_file: '/etc/r2c.json', disable_api: true, extra: 1 } }, package: { java: { api: 'https://search.maven.org/solrsearch/select' }, nope: {} } } } });
    assert.deepEqual(lints, [
      { path: 'indexer.scanner.package.java', message: 'the java scanner takes no configuration; this block is ignored' },
      { path: 'indexer.scanner.package.nope', message: 'no package scanner is named "nope"; this block is ignored' },
      { path: 'indexer.scanner.repo.rhel-repository-scanner.extra', message: 'unknown key; ignored' },
    ]);
  });

  it('checks only what the mode runs: an indexer ignores updater sets, a notifier everything', () => {
    const bad = { updaters: { sets: ['alpien'] }, matchers: { names: ['pyhton'] }, indexer: { scanner: { repo: { 'rhel-repository-scanner': { timeout: 'soon' } } } } };
    assert.deepEqual(problems(bad, 'indexer').split('\n').map((l) => l.split(':')[1]), [' matchers.names', ' indexer.scanner.repo.rhel-repository-scanner.timeout']);
    assert.deepEqual(problems(bad, 'matcher').split('\n').map((l) => l.split(':')[1]), [' matchers.names', ' updaters.sets']);
    assert.deepEqual(resolve(bad, 'notifier'), { factories: [], matchers: [], enrichers: [], lints: [] });
  });

  it('checks no set when the updaters are disabled, as Clair configures none', () => {
    assert.deepEqual(resolvePlugins(testConfig('matcher', { matcher: { disable_updaters: true, indexer_addr: 'http://indexer/' }, updaters: { sets: ['alpien'] } }), 'matcher').factories, []);
  });
});
