import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { isClairError } from '../lib/errors.js';
import type { LoadedConfig, Mode } from './types.js';
import { validateConfig } from './validate.js';

const HOUR = 3_600_000;

/** Validates with no PG* variables in sight, so lints are deterministic. */
function ok(raw: unknown, mode: Mode = 'combo', env: Record<string, string> = {}): LoadedConfig {
  return validateConfig(raw, mode, { env });
}

/** Returns the problem lines of a config that must fail. */
function problems(raw: unknown, mode: Mode = 'combo'): string[] {
  try {
    validateConfig(raw, mode, { env: {} });
  } catch (err) {
    assert.ok(isClairError(err, 'CONFIG_INVALID'), `expected CONFIG_INVALID, got ${String(err)}`);
    const lines = err.message.split('\n');
    for (const line of lines) assert.match(line, /^config: /);
    return lines;
  }
  assert.fail('expected the config to be rejected');
}

function lintMessages(result: LoadedConfig, path: string): string[] {
  return result.lints.filter((l) => l.path === path).map((l) => l.message);
}

/** A valid combo config that also satisfies matcher and notifier modes. */
const distributed = {
  matcher: { indexer_addr: 'http://clair-indexer:6060/' },
  notifier: {
    indexer_addr: 'http://clair-indexer:6060/',
    matcher_addr: 'http://clair-matcher:6060/',
    webhook: { target: 'http://webhook/', callback: 'http://clair-notifier:6060/notifier/api/v1/notification/' },
  },
};

describe('defaults', () => {
  test('an empty document gets every upstream default', () => {
    const { config } = ok({});
    assert.equal(config.http_listen_addr, ':6060');
    assert.equal(config.introspection_addr, ':8089');
    assert.equal(config.log_level, 'info');
    assert.equal(config.data_dir, 'clair-data');
    assert.deepEqual(config.indexer, {
      connstring: '',
      scanlock_retry: 1,
      layer_scan_concurrency: 10,
      index_report_request_concurrency: availableParallelism() * 4,
      migrations: false,
      airgap: false,
      spool_dir: '',
      limits: {
        manifest_layers: 256,
        layer_bytes: 8 * 1024 ** 3,
        layer_entries: 1_000_000,
        path_depth: 256,
        compression_ratio: 256,
        spool_bytes: 32 * 1024 ** 3,
        index_timeout: 30 * 60_000,
        affected_manifest_vulnerabilities: 5_000,
      },
      layer_fetch: { connect_timeout: 10_000, response_timeout: 30_000, min_bytes_per_second: 1024, attempts: 4, allow: [], deny: [] },
      scanner: { package: {}, dist: {}, repo: {} },
    });
    assert.equal(config.matcher.period, 6 * HOUR);
    assert.equal(config.matcher.cache_age, 6 * HOUR);
    assert.equal(config.matcher.update_retention, 10);
    assert.equal(config.matcher.max_conn_pool, undefined);
    assert.equal(config.notifier.poll_interval, 6 * HOUR);
    assert.equal(config.notifier.delivery_interval, 1 * HOUR);
    assert.equal(config.notifier.webhook, undefined);
    assert.deepEqual(config.matchers, { config: {} });
    assert.deepEqual(config.updaters, { config: {} });
    assert.equal('names' in config.matchers, false, 'names stays absent: every default matcher');
    assert.deepEqual(config.auth, {});
    assert.deepEqual(config.metrics, { name: '', prometheus: { endpoint: '/metrics' } });
    assert.deepEqual(config.trace, { name: '' });
    assert.equal(config.tls, undefined);
  });

  test('indexer limits: 0 means the default, a negative value turns one off, the old flat keys still work', () => {
    const result = ok({ indexer: { limits: { layer_entries: 10, path_depth: 0, compression_ratio: -1, index_timeout: '1m' }, spool_max_bytes: 0, max_layer_bytes: 1024 } });
    const { limits } = result.config.indexer;
    assert.deepEqual([limits.layer_entries, limits.path_depth, limits.compression_ratio, limits.index_timeout], [10, 256, Infinity, 60_000]);
    assert.equal(limits.spool_bytes, Infinity, 'the old spool key\'s 0 meant no cap');
    assert.equal(limits.layer_bytes, 1024);
    assert.deepEqual(lintMessages(result, 'indexer.limits.compression_ratio'), ['negative: this limit is off']);
    assert.deepEqual(lintMessages(result, 'indexer.max_layer_bytes'), ['moved to indexer.limits.layer_bytes']);
    assert.deepEqual(problems({ indexer: { max_layer_bytes: 5, limits: { layer_bytes: 6 } } }), ['config: indexer.max_layer_bytes: replaced by indexer.limits.layer_bytes; set only that one']);
  });

  test('layer fetch: positive deadlines, and allow/deny entries that are hosts, addresses or CIDR blocks', () => {
    const { config } = ok({ indexer: { layer_fetch: { connect_timeout: '2s', attempts: 2, allow: ['10.1.0.0/16', 'registry.internal', '*.example.com'], deny: ['::1', '169.254.0.0/16'] } } });
    assert.deepEqual(config.indexer.layer_fetch, { connect_timeout: 2000, response_timeout: 30_000, min_bytes_per_second: 1024, attempts: 2, allow: ['10.1.0.0/16', 'registry.internal', '*.example.com'], deny: ['::1', '169.254.0.0/16'] });
    assert.deepEqual(problems({ indexer: { layer_fetch: { attempts: -1, deny: ['10.0.0.0/33', 'not a host'] } } }), [
      'config: indexer.layer_fetch.attempts: must not be negative, got -1',
      'config: indexer.layer_fetch.deny[0]: "10.0.0.0/33": not a valid CIDR block',
      'config: indexer.layer_fetch.deny[1]: "not a host": not a host name, IP address or CIDR block',
    ]);
  });

  test('null values mean absent, as in Go', () => {
    const { config } = ok({ log_level: null, matcher: { period: null }, matchers: { names: null }, auth: null });
    assert.equal(config.log_level, 'info');
    assert.equal(config.matcher.period, 6 * HOUR);
    assert.equal(config.matchers.names, undefined);
  });

  test('an empty names list means none, and is kept', () => {
    assert.deepEqual(ok({ matchers: { names: [] } }).config.matchers.names, []);
  });

  test('cache_age defaults to the configured period', () => {
    const { config } = ok({ matcher: { period: '12h' } });
    assert.equal(config.matcher.period, 12 * HOUR);
    assert.equal(config.matcher.cache_age, 12 * HOUR);
  });

  test('update_retention: negative becomes 0, 0 and 1 become 10, 2 and up are kept', () => {
    const retention = (v: number): number => ok({ matcher: { update_retention: v } }).config.matcher.update_retention;
    assert.equal(retention(-5), 0);
    assert.equal(retention(0), 10);
    assert.equal(retention(1), 10);
    assert.equal(retention(2), 2);
    assert.equal(retention(25), 25);
  });

  test('a negative index_report_request_concurrency (unlimited) is kept', () => {
    assert.equal(ok({ indexer: { index_report_request_concurrency: -1 } }).config.indexer.index_report_request_concurrency, -1);
  });

  test('notifier intervals below 1m are replaced by the defaults', () => {
    const n = ok({ notifier: { ...distributed.notifier, poll_interval: '59s', delivery_interval: '30s' } }).config.notifier;
    assert.equal(n.poll_interval, 6 * HOUR);
    assert.equal(n.delivery_interval, 1 * HOUR);
    const m = ok({ notifier: { ...distributed.notifier, poll_interval: '1m', delivery_interval: '90m' } }).config.notifier;
    assert.equal(m.poll_interval, 60_000);
    assert.equal(m.delivery_interval, 90 * 60_000);
  });

  test('log_level is case-insensitive and stored in lower case', () => {
    assert.equal(ok({ log_level: 'DEBUG-Color' }).config.log_level, 'debug-color');
  });

  test('matcher.disable_updaters forces updaters.sets to []', () => {
    const { config } = ok({ matcher: { disable_updaters: true }, updaters: { sets: ['alpine', 'osv'] } });
    assert.deepEqual(config.updaters.sets, []);
  });

  test('the webhook callback gets a trailing "/"', () => {
    const { config, lints } = ok({ notifier: { ...distributed.notifier, webhook: { target: 'http://w/', callback: 'http://n/cb' } } });
    assert.equal(config.notifier.webhook?.callback, 'http://n/cb/');
    assert.ok(lints.some((l) => l.path === 'notifier.webhook.callback' && /end in a "\/"/.test(l.message)));
  });

  test('the webhook retry, timeout and signature extensions and notifier.retention have defaults and checks', () => {
    const webhook = { target: 'http://w/', callback: 'http://n/cb/' };
    const { config } = ok({ notifier: { ...distributed.notifier, webhook } });
    assert.deepEqual(config.notifier.webhook, { ...webhook, headers: {}, attempts: 4, backoff: 1_000, timeout: 30_000 });
    assert.equal(config.notifier.retention, 14 * 24 * 3_600_000);
    const set = ok({ notifier: { ...distributed.notifier, retention: '48h', webhook: { ...webhook, attempts: 2, backoff: '250ms', timeout: '5s', signature_key: 'c2VjcmV0' } } }).config;
    assert.deepEqual([set.notifier.retention, set.notifier.webhook?.attempts, set.notifier.webhook?.backoff, set.notifier.webhook?.timeout, set.notifier.webhook?.signature_key], [48 * 3_600_000, 2, 250, 5_000, 'c2VjcmV0']);
    assert.deepEqual(problems({ notifier: { ...distributed.notifier, retention: '30s', webhook: { ...webhook, attempts: 0, timeout: '0s', signature_key: 'not base64!' } } }).sort(), [
      'config: notifier.retention: must be at least 1m',
      'config: notifier.webhook.attempts: must be at least 1',
      'config: notifier.webhook.signature_key: must be a non-empty base64 (standard alphabet) key',
      'config: notifier.webhook.timeout: must be positive',
    ]);
  });
});

describe('errors name the key path', () => {
  test('unknown key at top level', () => {
    const [line] = problems({ auht: { psk: {} } });
    assert.match(line ?? '', /^config: unknown key "auht" at top level/);
    assert.match(line ?? '', /did you mean "auth"/);
  });

  test('unknown nested key', () => {
    assert.match(problems({ indexer: { scanlock_retyr: 3 } })[0] ?? '', /^config: indexer\.scanlock_retyr: unknown key/);
    assert.match(problems({ notifier: { webhook: { tagret: 'x' } } }, 'indexer')[0] ?? '', /^config: notifier\.webhook\.tagret: unknown key/);
    assert.match(problems({ notifier: { amqp: { exchange: { durable: true } } } }, 'indexer')[0] ?? '', /notifier\.amqp\.exchange\.durable: unknown key/);
  });

  test('unknown keys are rejected in blocks the mode does not use', () => {
    assert.match(problems({ matcher: { updater_sets: ['rhel'] } }, 'indexer')[0] ?? '', /matcher\.updater_sets: unknown key/);
  });

  test('pass-through blocks accept any keys', () => {
    ok({
      indexer: { scanner: { package: { rpm: { anything: 1 } }, dist: { x: { y: [1] } }, repo: {} } },
      matchers: { config: { python: { whatever: true } } },
      updaters: { config: { rhel: { ignore_unpatched: true } } },
      trace: { name: 'otlp', otlp: { http: { endpoint: 'x', made_up: 1 } }, sentry: { dsn: 'x', odd: 2 }, jaeger: { foo: 1 } },
      metrics: { name: 'otlp', otlp: { grpc: { endpoint: 'y' } } },
    });
  });

  test('wrong type', () => {
    assert.deepEqual(problems({ indexer: { migrations: 'yes' } }), ['config: indexer.migrations: expected a boolean, got string "yes"']);
    assert.deepEqual(problems({ indexer: { scanlock_retry: 1.5 } }), ['config: indexer.scanlock_retry: expected an integer, got number 1.5']);
    assert.deepEqual(problems({ updaters: { sets: ['rhel', 5] } }), ['config: updaters.sets[1]: expected a string, got number 5']);
    assert.deepEqual(problems({ matchers: 'all' }), ['config: matchers: expected an object, got string "all"']);
    assert.deepEqual(problems({ matcher: { connstring: 5 } }), ['config: matcher.connstring: expected a string, got a number']);
  });

  test('bad duration', () => {
    assert.match(problems({ matcher: { period: '6 hours' } })[0] ?? '', /^config: matcher\.period: invalid duration "6 hours"/);
    assert.match(problems({ notifier: { poll_interval: 3600 } })[0] ?? '', /^config: notifier\.poll_interval: expected a duration string/);
  });

  test('bad enum', () => {
    assert.match(problems({ log_level: 'verbose' })[0] ?? '', /^config: log_level: invalid value "verbose": must be one of "debug-color", "debug", "info"/);
    assert.match(problems({ trace: { name: 'zipkin' } })[0] ?? '', /^config: trace\.name: invalid value "zipkin"/);
    assert.match(problems({ metrics: { name: 'statsd' } })[0] ?? '', /^config: metrics\.name: invalid value "statsd"/);
  });

  test('bad address', () => {
    assert.deepEqual(problems({ http_listen_addr: 'xyz' }), ['config: http_listen_addr: invalid address "xyz": missing port in address']);
    assert.match(problems({ introspection_addr: 'localhost:http' })[0] ?? '', /^config: introspection_addr: invalid address "localhost:http": port must be a number/);
    assert.match(problems({ http_listen_addr: '::1:6060' })[0] ?? '', /too many colons/);
    assert.equal(ok({ http_listen_addr: '[::1]:6060', introspection_addr: '0.0.0.0:0' }).config.http_listen_addr, '[::1]:6060');
  });

  test('matcher mode requires matcher.indexer_addr as an absolute http(s) URL', () => {
    assert.deepEqual(problems({}, 'matcher'), ['config: matcher.indexer_addr: required in matcher mode (an absolute http(s) URL)']);
    assert.match(problems({ matcher: { indexer_addr: 'clair-indexer:6060' } }, 'matcher')[0] ?? '', /^config: matcher\.indexer_addr: must be an absolute http\(s\) URL/);
  });

  test('notifier mode requires notifier.indexer_addr and notifier.matcher_addr', () => {
    const lines = problems({ notifier: { indexer_addr: 'http://indexer/', webhook: distributed.notifier.webhook } }, 'notifier');
    assert.deepEqual(lines, ['config: notifier.matcher_addr: required in notifier mode (an absolute http(s) URL)']);
    assert.equal(problems({}, 'notifier').length, 2);
  });

  test('a wrongly typed required key is reported once, not also as missing', () => {
    assert.deepEqual(problems({ matcher: { indexer_addr: 5 } }, 'matcher'), ['config: matcher.indexer_addr: expected a string, got number 5']);
  });

  test('auth.psk.key must be standard base64, and is never echoed', () => {
    const secret = 'not base64 at all!';
    const lines = problems({ auth: { psk: { key: secret, iss: ['quay'] } } });
    assert.equal(lines.length, 1);
    assert.match(lines[0] ?? '', /^config: auth\.psk\.key: not valid standard base64/);
    assert.ok(!lines.join('\n').includes(secret));
    // URL-safe alphabet and missing padding are not standard base64.
    assert.match(problems({ auth: { psk: { key: 'c2VjcmV0_-', iss: ['q'] } } })[0] ?? '', /auth\.psk\.key/);
    assert.match(problems({ auth: { psk: { key: 'c2VjcmV0MQ', iss: ['q'] } } })[0] ?? '', /auth\.psk\.key/);
    // A number is a type error that does not print the value.
    const typed = problems({ auth: { psk: { key: 123456, iss: ['q'] } } });
    assert.deepEqual(typed, ['config: auth.psk.key: expected a string, got a number']);
    assert.equal(ok({ auth: { psk: { key: 'c2VjcmV0MQ==', iss: ['q'] } } }).config.auth.psk?.key, 'c2VjcmV0MQ==');
  });

  test('auth.keyserver fails: quay keyserver support has been removed', () => {
    assert.match(problems({ auth: { keyserver: { api: 'http://quay/', intraservice: 'c2VjcmV0' } } })[0] ?? '', /^config: auth\.keyserver: quay keyserver support has been removed/);
  });

  describe('tls', () => {
    const dir = mkdtempSync(join(tmpdir(), 'clair-config-tls-'));
    after(() => rmSync(dir, { recursive: true, force: true }));
    const cert = join(dir, 'cert.pem');
    const key = join(dir, 'key.pem');
    writeFileSync(cert, 'cert');
    writeFileSync(key, 'key');

    test('cert and key must be given together', () => {
      assert.deepEqual(problems({ tls: { cert } }), ['config: tls: cert and key must be given together']);
    });
    test('cert and key must exist', () => {
      assert.match(problems({ tls: { cert, key: join(dir, 'missing.pem') } })[0] ?? '', /^config: tls\.key: file ".*missing\.pem" does not exist/);
    });
    test('existing cert and key load', () => {
      assert.deepEqual(ok({ tls: { cert, key } }).config.tls, { cert, key });
    });
  });

  test('several problems are reported together, one per line', () => {
    const lines = problems(
      {
        auht: 1,
        http_listen_addr: 'nope',
        indexer: { migrations: 'yes', scanlock_retyr: 2 },
        matcher: { period: '6 hours' },
        auth: { psk: { key: '%%%', iss: [] } },
      },
      'matcher',
    );
    assert.equal(lines.length, 7, lines.join('\n'));
    const text = lines.join('\n');
    for (const path of ['"auht"', 'http_listen_addr', 'indexer.migrations', 'indexer.scanlock_retyr', 'matcher.period', 'matcher.indexer_addr', 'auth.psk.key']) {
      assert.ok(text.includes(path), `missing ${path} in:\n${text}`);
    }
  });

  test('an unknown mode is rejected', () => {
    assert.throws(() => validateConfig({}, 'everything' as Mode), /unknown mode "everything"/);
  });

  test('a document that is not an object is rejected', () => {
    assert.deepEqual(problems(['a']), ['config: expected an object, got a list']);
  });
});

describe('mode scoping', () => {
  const indexerOnly = { indexer: { connstring: 'host=db dbname=indexer', migrations: true } };

  test('a config without matcher.indexer_addr loads in combo and indexer mode but not matcher mode', () => {
    ok(indexerOnly, 'combo');
    ok(indexerOnly, 'indexer');
    assert.match(problems(indexerOnly, 'matcher')[0] ?? '', /matcher\.indexer_addr: required/);
  });

  test('notifier rules apply only in combo and notifier mode', () => {
    const broken = { matcher: distributed.matcher, notifier: { webhook: { callback: 'http://n/cb/' } } };
    ok(broken, 'indexer');
    ok(broken, 'matcher');
    assert.match(problems(broken, 'combo')[0] ?? '', /notifier\.webhook\.target: required/);
  });

  test('lints are only reported for the blocks the mode runs', () => {
    const raw = { matcher: { period: '1h' }, indexer: { scanlock_retry: 30 } };
    const ix = ok(raw, 'indexer');
    assert.deepEqual(lintMessages(ix, 'matcher.period'), []);
    assert.equal(lintMessages(ix, 'indexer.scanlock_retry').length, 1);
    const mx = ok({ ...raw, ...{ matcher: { ...raw.matcher, indexer_addr: 'http://i/' } } }, 'matcher');
    assert.equal(lintMessages(mx, 'matcher.period').length, 1);
    assert.deepEqual(lintMessages(mx, 'indexer.scanlock_retry'), []);
  });

  test('the distributed example loads in every mode', () => {
    for (const mode of ['combo', 'indexer', 'matcher', 'notifier'] as const) ok(distributed, mode);
  });
});

describe('lints', () => {
  test('empty connstring: the embedded database is used, and PG* variables are not', () => {
    const [msg] = lintMessages(ok({}, 'indexer'), 'indexer.connstring');
    assert.match(msg ?? '', /^connection string is empty: the embedded database under data_dir "clair-data" will be used$/);
    const [withPg] = lintMessages(ok({ data_dir: '/var/lib/clair' }, 'indexer', { PGHOST: 'db', PGUSER: 'u' }), 'indexer.connstring');
    assert.match(withPg ?? '', /data_dir "\/var\/lib\/clair".*PGHOST, PGUSER environment variables are not used/);
  });

  test('connstring shapes our store accepts load without lints', () => {
    for (const connstring of ['postgres://u:p@db/indexer', 'postgresql://db/indexer', 'host=db dbname=indexer', 'memory://', 'embedded:', 'embedded://?dbname=indexer', 'embedded:///var/lib/clair']) {
      assert.deepEqual(lintMessages(ok({ indexer: { connstring } }, 'indexer'), 'indexer.connstring'), [], connstring);
    }
  });

  test('connstrings our store cannot open are errors, without echoing the value', () => {
    const [scheme] = problems({ indexer: { connstring: 'mysql://u:hunter2@db/x' } }, 'indexer');
    assert.match(scheme ?? '', /^config: indexer\.connstring: unrecognized URL scheme "mysql"/);
    assert.ok(!(scheme ?? '').includes('hunter2'));
    assert.match(problems({ matcher: { connstring: 'garbage', indexer_addr: 'http://i/' } }, 'matcher')[0] ?? '', /^config: matcher\.connstring: unable to make sense/);
    assert.match(problems({ indexer: { connstring: 'pglite:///var/lib/clair' } }, 'indexer')[0] ?? '', /^config: indexer\.connstring: pglite:\/\/ is no longer supported: .*use embedded:\/\/\/<dir>/);
    assert.match(problems({ indexer: { connstring: 'embedded://?dbname=no-dashes' } }, 'indexer')[0] ?? '', /dbname "no-dashes" must be a plain identifier/);
    // Mode-scoped: the indexer's connstring is not checked in matcher mode.
    ok({ indexer: { connstring: 'garbage' }, matcher: { indexer_addr: 'http://i/' } }, 'matcher');
  });

  test('indexer tuning', () => {
    assert.match(lintMessages(ok({ indexer: { scanlock_retry: 11 } }, 'indexer'), 'indexer.scanlock_retry')[0] ?? '', /large values/);
    assert.match(lintMessages(ok({ indexer: { layer_scan_concurrency: 2 } }, 'indexer'), 'indexer.layer_scan_concurrency')[0] ?? '', /small values/);
    assert.match(lintMessages(ok({ indexer: { layer_scan_concurrency: 64 } }, 'indexer'), 'indexer.layer_scan_concurrency')[0] ?? '', /large values/);
    assert.deepEqual(lintMessages(ok({ indexer: { layer_scan_concurrency: 16, index_report_request_concurrency: 8 } }, 'indexer'), 'indexer.layer_scan_concurrency'), []);
    assert.match(lintMessages(ok({}, 'indexer'), 'indexer.index_report_request_concurrency')[0] ?? '', /automatically sizing/);
  });

  test('matcher timing and retention', () => {
    const r = ok({ matcher: { period: '1h', cache_age: '10m', update_retention: -1, max_conn_pool: 50 } });
    assert.match(lintMessages(r, 'matcher.period')[0] ?? '', /aggressive/);
    assert.match(lintMessages(r, 'matcher.cache_age')[0] ?? '', /expiry very low/);
    assert.ok(lintMessages(r, 'matcher.update_retention').some((m) => /garbage collection is off/.test(m)));
    assert.match(lintMessages(r, 'matcher.max_conn_pool')[0] ?? '', /removed in a future release/);
    assert.deepEqual(lintMessages(ok({ matcher: { period: '6h', cache_age: '3h' } }), 'matcher.cache_age'), []);
  });

  test('notifier delivery and intervals', () => {
    const none = ok({ notifier: { connstring: 'host=db' } });
    assert.deepEqual(lintMessages(none, 'notifier'), ['no delivery mechanisms specified']);
    assert.deepEqual(lintMessages(ok({}), 'notifier'), [], 'no notifier block in combo mode: no lint');

    const many = ok({
      notifier: {
        webhook: distributed.notifier.webhook,
        amqp: { exchange: { type: 'direct' }, routing_key: 'n', uris: ['amqp://guest:guest@mq:5672/'], direct: true },
      },
    });
    assert.match(lintMessages(many, 'notifier')[0] ?? '', /^multiple delivery mechanisms specified/);
    assert.match(lintMessages(many, 'notifier.amqp')[0] ?? '', /deprecated/);

    const fast = ok({ notifier: { ...distributed.notifier, poll_interval: '5m', delivery_interval: '10m', disable_summary: true } });
    assert.match(lintMessages(fast, 'notifier.poll_interval')[0] ?? '', /very fast/);
    assert.match(lintMessages(fast, 'notifier.delivery_interval')[0] ?? '', /very fast/);
    assert.match(lintMessages(fast, 'notifier.disable_summary')[0] ?? '', /memory/);
  });

  test('psk with an empty key or empty iss', () => {
    const r = ok({ auth: { psk: { key: '', iss: [] } } });
    assert.match(lintMessages(r, 'auth.psk.key')[0] ?? '', /empty/);
    assert.match(lintMessages(r, 'auth.psk.iss')[0] ?? '', /empty/);
  });

  test('deprecated settings', () => {
    const r = ok({
      notifier: {
        ...distributed.notifier,
        webhook: { ...distributed.notifier.webhook, signed: true },
        stomp: { uris: ['mq:61613'], direct: true, destination: 'clair' },
      },
      trace: { name: 'jaeger', jaeger: { agent: { endpoint: 'j:6831' } } },
    });
    assert.match(lintMessages(r, 'notifier.webhook.signed')[0] ?? '', /removed in a future release/);
    assert.match(lintMessages(r, 'notifier.stomp')[0] ?? '', /deprecated/);
    assert.match(lintMessages(r, 'trace.name')[0] ?? '', /"jaeger" is deprecated/);
  });
});

describe('amqp and stomp', () => {
  test('amqp requires exchange.type, routing_key, uris and a callback unless direct', () => {
    const lines = problems({ notifier: { amqp: { exchange: { name: 'x' } } } });
    assert.deepEqual(lines, [
      'config: notifier.amqp.exchange.type: required',
      'config: notifier.amqp.routing_key: required',
      'config: notifier.amqp.uris: at least one amqp:// or amqps:// URI is required',
      'config: notifier.amqp.callback: required unless direct is true',
    ]);
  });

  test('a bad amqp URI is reported without echoing it', () => {
    const lines = problems({
      notifier: { amqp: { exchange: { type: 'direct' }, routing_key: 'k', uris: ['http://user:hunter2@mq/'], direct: true } },
    });
    assert.deepEqual(lines, ['config: notifier.amqp.uris[0]: not a valid amqp:// or amqps:// URI']);
  });

  test('stomp URIs are host:port pairs', () => {
    const lines = problems({ notifier: { stomp: { uris: ['mq'], direct: true } } });
    assert.match(lines[0] ?? '', /^config: notifier\.stomp\.uris\[0\]: bad host:port: missing port/);
  });
});
