/**
 * Fuzzing configuration loading: mutated main files (YAML and JSON) and
 * mutated drop-ins (merge patches and JSON patches) must load, or fail with
 * a CONFIG error naming the problem, in every mode; never a crash or a hang.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { isClairError } from '../lib/errors.js';
import { fuzz } from '../test-support/fuzz.js';
import { readConfigDocument } from './load.js';
import { formatEffectiveConfig } from './redact.js';
import { MODES } from './types.js';
import { validateConfig } from './validate.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const root = mkdtempSync(join(tmpdir(), 'clair-config-fuzz-'));
after(() => rmSync(root, { recursive: true, force: true }));

const SMALL_YAML = `---
log_level: debug-color
http_listen_addr: ":6060"
updaters:
  sets: [ubuntu, debian]
  config:
    rhel: { ignore_unpatched: true }
auth:
  psk:
    key: 'c2VjcmV0'
    iss: [quay, clairctl]
indexer:
  connstring: host=db user=clair dbname=indexer sslmode=disable
  scanlock_retry: 10
  layer_scan_concurrency: 5
  limits: { manifest_layers: 200, index_timeout: 10m }
  layer_fetch: { connect_timeout: 5s, allow: ["10.0.0.0/8"] }
matcher:
  indexer_addr: http://indexer:6060/
  connstring: postgres://clair@db/matcher?sslmode=disable
  period: 6h
  update_retention: 2
matchers:
  names: [alpine, debian]
notifier:
  indexer_addr: http://indexer:6060/
  matcher_addr: http://matcher:6060/
  connstring: embedded://?dbname=notifier
  delivery_interval: 1m
  poll_interval: 5m
  webhook:
    target: "http://webhook-target/"
    callback: "http://clair-notifier:6060/notifier/api/v1/notification/"
    headers: { X-Team: [a, b] }
  stomp:
    destination: clair
    uris: ["stomp://broker:61613"]
    user: { login: clair, passcode: secret }
trace:
  name: jaeger
  probability: 0.5
  jaeger: { agent: { endpoint: "jaeger:6831" } }
metrics:
  name: prometheus
  prometheus: { endpoint: /metrics }
`;

const MAIN_SEEDS = [
  readFileSync(join(repoRoot, 'deploy', 'config.yaml')),
  readFileSync(join(repoRoot, 'deploy', 'docker', 'config.yaml')),
  Buffer.from(SMALL_YAML),
  // Anchors, aliases and merge keys, which yaml.v3 reads too.
  // An alias inside its own anchor, which the YAML reader turns into a cycle.
  Buffer.from('log_level: info\nupdaters:\n  config: &c\n    osv: *c\n'),
  Buffer.from('indexer: &idx {connstring: "", migrations: true}\nmatcher:\n  <<: *idx\n  indexer_addr: "http://i/"\n  period: 30m\nnotifier: {connstring: "memory://"}\n'),
];

/** A CONFIG error is the answer to a bad file; any other error is a bug. */
async function loadAllModes(path: string): Promise<void> {
  try {
    const doc = await readConfigDocument(path);
    for (const mode of MODES) {
      try {
        const { config } = validateConfig(doc, mode, { env: {}, checkFiles: false });
        // What `clairctl check-config` prints must not break either.
        formatEffectiveConfig(config, mode === 'combo' ? 'yaml' : 'json');
      } catch (err) {
        if (!isClairError(err, 'CONFIG_INVALID')) throw err;
      }
    }
  } catch (err) {
    if (isClairError(err, 'CONFIG_INVALID') || isClairError(err, 'CONFIG_UNREADABLE')) return;
    // Anything else, however it is worded, is not the CONFIG error the user needs.
    throw new TypeError(`not a CONFIG error: ${err instanceof Error ? `${err.constructor.name}: ${err.message}` : String(err)}`, { cause: err });
  }
}

let counter = 0;
function caseDir(): string {
  const dir = join(root, `case-${++counter}`);
  mkdirSync(dir);
  return dir;
}

describe('config loading: fuzz', () => {
  it('loads every mutated YAML main file or answers a CONFIG error, in every mode', async () => {
    await fuzz({
      seeds: MAIN_SEEDS,
      parse: async (input) => {
        const file = join(caseDir(), 'config.yaml');
        writeFileSync(file, input);
        await loadAllModes(file);
      },
    });
  });

  it('loads every mutated JSON main file or answers a CONFIG error, in every mode', async () => {
    const json = MAIN_SEEDS.slice(0, 3).map((s) => Buffer.from(JSON.stringify(parseYaml(s.toString()), null, 1)));
    // Near and past the nesting limit, where recursion used to overflow the stack.
    const deep = (n: number) => `${'{"a":['.repeat(n)}1${']}'.repeat(n)}`;
    json.push(Buffer.from(`{"indexer":{"scanner":{"package":${deep(45)}}},"x":${deep(3000)}}`));
    await fuzz({
      seeds: json,
      parse: async (input) => {
        const file = join(caseDir(), 'config.json');
        writeFileSync(file, input);
        await loadAllModes(file);
      },
    });
  });

  it('applies every mutated drop-in (merge patch or JSON patch) or answers a CONFIG error', async () => {
    const patches = [
      '- op: add\n  path: /updaters/sets/-\n  value: osv\n- op: replace\n  path: /log_level\n  value: warn\n',
      '- {op: remove, path: /notifier/webhook}\n- {op: copy, from: /indexer/connstring, path: /matcher/connstring}\n- {op: move, from: /matchers, path: /extra}\n- {op: test, path: /auth/psk/iss/0, value: quay}\n',
    ];
    const merges = ['log_level: null\nindexer: {migrations: false, limits: {layer_bytes: 1000000}}\nupdaters:\n  sets: [rhel]\n', ''];
    const seeds = [...patches.map((p) => Buffer.from(`P${p}`)), ...merges.map((m) => Buffer.from(`M${m}`))];
    await fuzz({
      seeds,
      parse: async (input) => {
        const dir = caseDir();
        writeFileSync(join(dir, 'config.yaml'), SMALL_YAML);
        mkdirSync(join(dir, 'config.yaml.d'));
        // The first byte picks the kind of drop-in, so mutations can switch it.
        const kind = input[0] === 'P'.charCodeAt(0) ? 'yaml-patch' : 'yaml';
        writeFileSync(join(dir, 'config.yaml.d', `10-fuzz.${kind}`), input.subarray(1));
        await loadAllModes(join(dir, 'config.yaml'));
      },
    });
  });
});
