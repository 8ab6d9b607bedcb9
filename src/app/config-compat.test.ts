/**
 * Clair's own configs work unchanged, and `clair -check` rejects exactly what
 * start-up rejects. Each case is a config file as a Clair user writes it
 * (Clair's published examples when ../shared is present, a config using
 * every updater's, matcher's and scanner's documented keys, and configs with
 * one mistake each); `-check` (the CLI's loader) and a real start in combo
 * mode must both accept it, or both refuse it with the same message. Only
 * what a test machine needs is overridden, in a drop-in: databases,
 * listen addresses, and upstream URLs pointed at a loopback server.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { stringify } from 'yaml';
import { loadClairConfig } from '../cli/clair.js';
import { loadConfig } from '../config/index.js';
import { startClair } from './start.js';
import { quietLogger } from '../test-support/config.js';
import { createTestDatabase, postgresUnavailable, type TestDatabase } from '../test-support/databases.js';
import { startFeedServer, type FeedServer } from '../test-support/feed-server.js';
import { OPENAPI_FILE } from '../http/openapi-document.js';
import { killSpawned, spawnCli } from '../test-support/spawn.js';

const EXAMPLES = resolve(OPENAPI_FILE, '..', '..', 'shared', 'spec', 'upstream', 'clair-config-examples');
const noExamples = existsSync(EXAMPLES) ? false : `Clair's config examples are not at ${EXAMPLES}; skipping them`;

type Outcome = { ok: true; lints: string[] } | { ok: false; error: string };

describe('Clair configs: -check and start agree', () => {
  const dir = mkdtempSync(join(tmpdir(), 'clair-compat-'));
  let db: TestDatabase;
  let feeds: FeedServer;
  let mapping: string;

  before(async () => {
    db = await createTestDatabase((await postgresUnavailable()) ? 'embedded' : 'postgres');
    // Every upstream answers 404 at once: the updaters fail fast, offline.
    feeds = await startFeedServer({});
    mapping = join(dir, 'repository-to-cpe.json');
    writeFileSync(mapping, JSON.stringify({ data: {} }));
  });
  after(async () => {
    killSpawned();
    await feeds?.close();
    await db?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** What this machine needs, merged over a case's config as a drop-in. */
  const machine = () => {
    const c = { connstring: db.connstring, migrations: true };
    return {
      http_listen_addr: '127.0.0.1:0',
      introspection_addr: '127.0.0.1:0',
      indexer: c,
      matcher: { ...c, indexer_addr: 'http://127.0.0.1:1/' },
      notifier: { ...c, indexer_addr: 'http://127.0.0.1:1/', matcher_addr: 'http://127.0.0.1:1/', webhook: { target: `${feeds.url}webhook`, callback: 'http://127.0.0.1:1/notifier/api/v1/notification/' } },
      updaters: {
        config: {
          alpine: { url: feeds.url },
          debian: { mirror_url: feeds.url, json_url: `${feeds.url}tracker/data/json` },
          ubuntu: { url: feeds.url },
          osv: { url: feeds.url },
          'rhel-vex': { url: `${feeds.url}vex/` },
          suse: { url: `${feeds.url}suse/` },
          aws: { mirror_lists: { linux2: `${feeds.url}al2/mirror.list`, linux2023: `${feeds.url}al2023/mirror.list`, linux1: `${feeds.url}al1/mirror.list` } },
          oracle: { url: `${feeds.url}oracle/`, first_year: 2024 },
          photon: { url: `${feeds.url}photon/` },
          wolfi: { url: feeds.url },
          chainguard: { url: feeds.url },
        },
      },
    };
  };

  /**
   * Writes a case as `config.yaml` with drop-ins. An example directory is
   * copied and the machine settings merged last, over its databases and
   * addresses; a case of our own is merged last, over the machine settings,
   * so its mistake is what gets checked.
   */
  function writeCase(name: string, base: object | { copyFrom: string }): string {
    const caseDir = join(dir, name);
    const dropIns = join(caseDir, 'config.yaml.d');
    if ('copyFrom' in base) {
      cpSync(base.copyFrom as string, caseDir, { recursive: true });
      mkdirSync(dropIns, { recursive: true });
      writeFileSync(join(dropIns, 'zz-test-machine.yaml'), stringify(machine()));
    } else {
      mkdirSync(dropIns, { recursive: true });
      writeFileSync(join(caseDir, 'config.yaml'), stringify(machine()));
      writeFileSync(join(dropIns, 'zz-case.yaml'), stringify(base));
    }
    return join(caseDir, 'config.yaml');
  }

  async function checkOutcome(conf: string): Promise<Outcome> {
    try {
      const { lints } = await loadClairConfig({ mode: 'combo', conf, check: true, format: 'yaml' });
      return { ok: true, lints: lints.map((l) => `${l.path}: ${l.message}`) };
    } catch (err) {
      return { ok: false, error: (err as Error).message };
    }
  }

  async function startOutcome(conf: string): Promise<Outcome> {
    let config;
    try {
      ({ config } = await loadConfig(conf, 'combo'));
      const clair = await startClair({ config, mode: 'combo', log: quietLogger() });
      await clair.close();
      return { ok: true, lints: [] };
    } catch (err) {
      return { ok: false, error: (err as Error).message };
    }
  }

  /** Asserts both agree and returns the `-check` outcome. */
  async function agree(conf: string): Promise<Outcome> {
    const check = await checkOutcome(conf);
    const start = await startOutcome(conf);
    if (check.ok) assert.ok(start.ok, `-check accepted but start refused: ${start.ok ? '' : start.error}`);
    else assert.deepEqual(start, check, '-check and start refuse with the same message');
    return check;
  }

  for (const example of ['SimpleYAML', 'ComplexYAML']) {
    it(`accepts Clair's ${example} example, linting the retired rhel set`, { skip: noExamples }, async () => {
      const outcome = await agree(writeCase(example, { copyFrom: join(EXAMPLES, example) }));
      assert.ok(outcome.ok, outcome.ok ? '' : outcome.error);
      assert.ok(outcome.lints.some((l) => l.startsWith('updaters.sets: "rhel" is no longer a Clair updater set') && l.includes('rhel-vex')), outcome.lints.join('\n'));
    });
  }

  it('accepts a config using every updater\'s, matcher\'s and scanner\'s documented keys, without a lint', async () => {
    const conf = writeCase('every-key', {
      matchers: {
        names: ['alpine-matcher', 'aws-matcher', 'debian-matcher', 'gobin', 'java-maven', 'oracle', 'photon', 'python', 'rhel', 'rhel-container-matcher', 'ruby-gem', 'suse', 'ubuntu-matcher', 'nodejs'],
        config: { rhel: { ignore_unpatched: true } },
      },
      updaters: {
        sets: ['alpine', 'aws', 'debian', 'oracle', 'osv', 'photon', 'rhel-vex', 'suse', 'ubuntu'],
        config: {
          osv: { allowlist: ['PyPI', 'Go'] },
          'rhel-vex': { compressed_file_timeout: '2m', ignore_kernel_packages: true },
          ubuntu: { name: 'ubuntu', force: [{ name: 'jammy', version: '22.04' }] },
        },
      },
      indexer: {
        index_report_request_concurrency: 4,
        scanner: {
          repo: { 'rhel-repository-scanner': { repo2cpe_mapping_file: mapping, repo2cpe_mapping_url: `${feeds.url}r2c.json`, timeout: '10s' } },
          package: { rhel_containerscanner: { name2repos_mapping_file: mapping, timeout: '10s' } },
        },
      },
    });
    assert.deepEqual(await agree(conf), { ok: true, lints: [] });
  });

  const mistakes: Array<[string, object, RegExp]> = [
    ['a CVSS feed root without its trailing slash', { updaters: { sets: ['debian', 'clair.cvss'], config: { 'clair.cvss': { feed_root: 'https://nvd.mirror.example/feeds' } } } }, /^config: updaters\.config\.clair\.cvss\.feed_root: URL missing trailing slash/],
    ['a misspelt updater set', { updaters: { sets: ['debain'] } }, /^config: updaters\.sets: unknown updater set "debain"/],
    ['a misspelt matcher', { matchers: { names: ['rhel-containre-matcher'] } }, /^config: matchers\.names: unknown matcher "rhel-containre-matcher"/],
    ['Debian\'s removed archive_url', { updaters: { sets: ['debian'], config: { debian: { archive_url: 'https://archive.debian.org/debian/' } } } }, /^config: updaters\.config\.debian\.archive_url: /],
    ['a URL of the wrong type', { updaters: { sets: ['osv'], config: { osv: { url: 5 } } } }, /^config: updaters\.config\.osv\.url: /],
    ['a numeric VEX timeout', { updaters: { sets: ['rhel-vex'], config: { 'rhel-vex': { compressed_file_timeout: 5 } } } }, /^config: updaters\.config\.rhel-vex\.compressed_file_timeout: /],
    ['a string where a matcher wants a boolean', { matchers: { config: { rhel: { ignore_unpatched: 'yes' } } } }, /^config: matchers\.config\.rhel\.ignore_unpatched: expected a boolean/],
    ['a bad scanner timeout', { indexer: { scanner: { repo: { 'rhel-repository-scanner': { timeout: 'soon' } } } } }, /^config: indexer\.scanner\.repo\.rhel-repository-scanner\.timeout: /],
  ];
  for (const [what, config, message] of mistakes) {
    it(`refuses ${what} in both`, async () => {
      const outcome = await agree(writeCase(what.replace(/\W+/g, '-'), config));
      assert.equal(outcome.ok, false);
      assert.match(outcome.ok ? '' : outcome.error, message);
    });
  }

  it('makes the clair process exit 1 on -check for a refused config, and print the lints of an accepted one', async () => {
    const bad = spawnCli('clair', ['-conf', writeCase('cli-bad', { updaters: { sets: ['clair.cvss'], config: { 'clair.cvss': { feed_root: 'https://nvd.mirror.example/feeds' } } } }), '-check']);
    assert.equal(await bad.exit, 1);
    assert.match(bad.stderr(), /updaters\.config\.clair\.cvss\.feed_root: URL missing trailing slash/);
    const old = spawnCli('clair', ['-conf', writeCase('cli-old', { updaters: { sets: ['rhel', 'osv'] }, matchers: { names: ['crda', 'python'] } }), '-check']);
    assert.equal(await old.exit, 0, old.stderr());
    assert.match(old.stderr(), /^lint: updaters\.sets: "rhel" is no longer a Clair updater set and is ignored; use rhel-vex/m);
    assert.match(old.stderr(), /^lint: matchers\.names: "crda" is no longer a Clair matcher/m);
  });
});
