import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { REDACTED, formatEffectiveConfig, redactConfig, redactConnString, redactUserinfo } from './redact.js';
import type { Config } from './types.js';
import { validateConfig } from './validate.js';

const SECRETS = ['c3VwZXJzZWNyZXQ=', 'd2ViaG9va2tleQ==', 'pgpass1', 'pg pass 2', 'pgpass3', 'mqpass', 'stomppass', 'Bearer tok', 'sentrykey', 'nvdkey', 'otlptoken'];

function secretConfig(): Config {
  return validateConfig(
    {
      indexer: { connstring: 'postgres://clair:pgpass1@db:5432/indexer?sslmode=disable' },
      matcher: { connstring: "host=db user=clair password='pg pass 2' dbname=matcher", indexer_addr: 'http://i/' },
      notifier: {
        connstring: 'host=db password=pgpass3 dbname=notifier',
        webhook: { target: 'http://w/', callback: 'http://n/', headers: { authorization: ['Bearer tok'], 'X-Trace': ['keep-me'] }, signature_key: 'd2ViaG9va2tleQ==' },
        amqp: { exchange: { type: 'direct' }, routing_key: 'k', uris: ['amqp://guest:mqpass@mq:5672/'], direct: true },
        stomp: { uris: ['mq:61613'], direct: true, user: { login: 'clair', passcode: 'stomppass' } },
      },
      auth: { psk: { key: 'c3VwZXJzZWNyZXQ=', iss: ['quay'] } },
      updaters: { config: { nvd: { api_key: 'nvdkey', url: 'https://nvd.example/' } } },
      trace: { name: 'sentry', sentry: { dsn: 'https://sentrykey@o1.ingest.sentry.io/2' }, otlp: { http: { headers: { 'x-honeycomb-team': 'otlptoken' } } } },
    },
    'combo',
    { env: {} },
  ).config;
}

describe('redactConfig', () => {
  test('hides every secret and keeps everything else', () => {
    const config = secretConfig();
    const before = structuredClone(config);
    const text = JSON.stringify(redactConfig(config));
    for (const secret of SECRETS) assert.ok(!text.includes(secret), `${secret} leaked: ${text}`);
    assert.deepEqual(config, before, 'the input is not modified');

    const r = redactConfig(config) as Config;
    assert.equal(r.auth.psk?.key, REDACTED);
    assert.equal(r.indexer.connstring, `postgres://clair:${REDACTED}@db:5432/indexer?sslmode=disable`);
    assert.equal(r.matcher.connstring, `host=db user=clair password=${REDACTED} dbname=matcher`);
    assert.equal(r.notifier.connstring, `host=db password=${REDACTED} dbname=notifier`);
    assert.deepEqual(r.notifier.webhook?.headers, { authorization: [REDACTED], 'X-Trace': ['keep-me'] });
    assert.equal(r.notifier.webhook?.signature_key, REDACTED);
    assert.deepEqual(r.notifier.amqp?.uris, [`amqp://guest:${REDACTED}@mq:5672/`]);
    assert.deepEqual(r.notifier.stomp?.user, { login: 'clair', passcode: REDACTED });
    assert.deepEqual(r.updaters.config, { nvd: { api_key: REDACTED, url: 'https://nvd.example/' } });
    assert.equal(r.trace.sentry?.dsn, `https://${REDACTED}@o1.ingest.sentry.io/2`);
    assert.equal(r.matcher.indexer_addr, 'http://i/');
  });

  test('the Authorization header is found in any letter case', () => {
    const config = secretConfig();
    config.notifier.webhook = { target: 'http://w/', callback: 'http://n/', attempts: 1, backoff: 0, timeout: 1000, headers: { AUTHORIZATION: ['a'], Authorization: ['b'], 'Proxy-Authorization': ['c'] } };
    const r = redactConfig(config) as Config;
    assert.deepEqual(r.notifier.webhook?.headers, { AUTHORIZATION: [REDACTED], Authorization: [REDACTED], 'Proxy-Authorization': [REDACTED] });
  });
});

describe('redactConnString', () => {
  const cases: Array<[string, string]> = [
    ['', ''],
    ['host=db dbname=x', 'host=db dbname=x'],
    ['postgres://db/x', 'postgres://db/x'],
    ['postgres://user@db/x', 'postgres://user@db/x'],
    ['postgresql://u:p%40ss@db:5432,db2:5432/x', `postgresql://u:${REDACTED}@db:5432,db2:5432/x`],
    ['postgres://db/x?user=u&password=secret&sslmode=require', `postgres://db/x?user=u&password=${REDACTED}&sslmode=require`],
    ['host=db password = secret user=u', `host=db password = ${REDACTED} user=u`],
    ["password='it\\'s secret' host=db", `password=${REDACTED} host=db`],
    ['host=db sslpassword=k', `host=db sslpassword=${REDACTED}`],
    ['memory://', 'memory://'],
  ];
  for (const [input, want] of cases) {
    test(`${JSON.stringify(input)} → ${JSON.stringify(want)}`, () => {
      assert.equal(redactConnString(input), want);
    });
  }
});

describe('redactUserinfo', () => {
  test('URIs, bare host:port and whole-userinfo mode', () => {
    assert.equal(redactUserinfo('amqps://u:p@mq:5671/vhost'), `amqps://u:${REDACTED}@mq:5671/vhost`);
    assert.equal(redactUserinfo('amqp://mq:5672/'), 'amqp://mq:5672/');
    assert.equal(redactUserinfo('u:p@mq:61613'), `${REDACTED}@mq:61613`);
    assert.equal(redactUserinfo('mq:61613'), 'mq:61613');
    assert.equal(redactUserinfo('https://key@sentry.io/1', true), `https://${REDACTED}@sentry.io/1`);
  });
});

describe('formatEffectiveConfig', () => {
  test('JSON output is redacted and prints durations as Go does', () => {
    const config = secretConfig();
    const text = formatEffectiveConfig(config, 'json');
    for (const secret of SECRETS) assert.ok(!text.includes(secret), `${secret} leaked`);
    const parsed = JSON.parse(text) as { matcher: { period: string; cache_age: string }; notifier: { poll_interval: string; delivery_interval: string } };
    assert.equal(parsed.matcher.period, '6h0m0s');
    assert.equal(parsed.matcher.cache_age, '6h0m0s');
    assert.equal(parsed.notifier.poll_interval, '6h0m0s');
    assert.equal(parsed.notifier.delivery_interval, '1h0m0s');
  });

  test('YAML output can be read back as an equivalent config', () => {
    const { config } = validateConfig(
      { matcher: { period: '90m', indexer_addr: 'http://i/' }, notifier: { poll_interval: '2h30m' }, auth: { psk: { key: 'c2VjcmV0', iss: ['quay'] } } },
      'combo',
      { env: {} },
    );
    const text = formatEffectiveConfig(config, 'yaml', { showSecrets: true });
    assert.match(text, /period: 1h30m0s/);
    const again = validateConfig(parseYaml(text), 'combo', { env: {} }).config;
    assert.deepEqual(again, config);
  });
});
