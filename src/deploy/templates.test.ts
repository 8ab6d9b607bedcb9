/**
 * deploy/render.sh, the template filler of the shipped load-balancer
 * configurations, and those templates as the proxies themselves parse them
 * (`nginx -t`, `haproxy -c`). Running them in front of Clair is
 * src/app/distributed.test.ts's job.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { checkHaproxyConfig, checkNginxConfig, DEPLOY_DIR, renderTemplate, toolUnavailable } from '../test-support/load-balancers.js';
import { makeTestCa, opensslUnavailable } from '../test-support/test-ca.js';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'clair-templates-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Runs render.sh on a template written from `text`; resolves its exit code, stdout and stderr. */
async function render(text: string, env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  const file = join(dir, `t-${Math.random().toString(36).slice(2)}.conf`);
  writeFileSync(file, text);
  try {
    const { stdout, stderr } = await run('bash', [join(DEPLOY_DIR, 'render.sh'), file], { env: { PATH: process.env.PATH, ...env } });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('deploy/render.sh', () => {
  it('fills in placeholders and leaves the proxy\'s own $variables alone', async () => {
    const out = await render('server_name ${CLAIR_NAME};\nproxy_set_header Host $host; # ${CLAIR_NAME}\nplain line\n', { CLAIR_NAME: 'clair.example.com' });
    assert.deepEqual(out, { code: 0, stdout: 'server_name clair.example.com;\nproxy_set_header Host $host; # clair.example.com\nplain line\n', stderr: '' });
  });

  it('writes a line with list placeholders once per item, taking lists in step and numbering replicas', async () => {
    const out = await render('backend b\n    server s${CLAIR_REPLICA} ${CLAIR_X_ADDRS} check port ${CLAIR_X_PORTS} # ${CLAIR_TAG}\n', {
      CLAIR_X_ADDRS: ' 10.0.0.1:6060   10.0.0.2:6060 ',
      CLAIR_X_PORTS: '8089 9089',
      CLAIR_TAG: 'a&b \\1',
    });
    assert.deepEqual(out, {
      code: 0,
      stdout: 'backend b\n    server s1 10.0.0.1:6060 check port 8089 # a&b \\1\n    server s2 10.0.0.2:6060 check port 9089 # a&b \\1\n',
      stderr: '',
    });
  });

  it('keeps a last line without a newline', async () => {
    assert.equal((await render('a ${CLAIR_A}', { CLAIR_A: 'b' })).stdout, 'a b\n');
  });

  const failures: Array<[string, string, Record<string, string>, string]> = [
    ['an unset placeholder', 'one\nlisten ${CLAIR_LISTEN};\n', {}, ':2: CLAIR_LISTEN is not set'],
    ['an empty list', 'server ${CLAIR_X_ADDRS};\n', { CLAIR_X_ADDRS: '  ' }, ':1: CLAIR_X_ADDRS is empty'],
    ['lists of different lengths', 'server ${CLAIR_X_ADDRS} port ${CLAIR_X_PORTS};\n', { CLAIR_X_ADDRS: 'a:1 b:1', CLAIR_X_PORTS: '2' }, ':1: CLAIR_X_PORTS has 1 items, CLAIR_X_ADDRS has 2'],
    ['a replica number without a list', 'server s${CLAIR_REPLICA};\n', {}, ':1: CLAIR_REPLICA is only meaningful on a line with a list placeholder'],
  ];
  for (const [what, template, env, message] of failures) {
    it(`refuses ${what}, naming it and its line, and prints nothing`, async () => {
      const out = await render(template, env);
      assert.equal(out.code, 1);
      assert.equal(out.stdout, '');
      assert.match(out.stderr, new RegExp(`^render: .*${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\n$`));
    });
  }

  it('refuses a template it cannot read', async () => {
    const out = await run('bash', [join(DEPLOY_DIR, 'render.sh'), join(dir, 'missing.conf')]).catch((e: { code: number; stderr: string }) => e);
    assert.equal((out as { code: number }).code, 1);
    assert.match((out as { stderr: string }).stderr, /^render: cannot read .*missing\.conf\n$/);
  });
});

describe('the shipped load-balancer templates', async () => {
  const noOpenssl = opensslUnavailable();
  if (noOpenssl && process.env.CI) throw new Error(`${noOpenssl}: required in CI`);
  const ca = noOpenssl ? undefined : makeTestCa(mkdtempSync(join(dir, 'ca-')));
  const replicas = { CLAIR_INDEXER_ADDRS: '127.0.0.1:16060 127.0.0.2:16060', CLAIR_MATCHER_ADDRS: '127.0.0.3:16060 127.0.0.4:16060', CLAIR_NOTIFIER_ADDRS: '127.0.0.5:16060' };

  it('nginx accepts deploy/nginx/clair.conf, with one server line per replica', { skip: noOpenssl ?? (await toolUnavailable('nginx')) }, async () => {
    const conf = await renderTemplate('nginx/clair.conf', {
      ...replicas,
      CLAIR_SERVER_NAME: 'clair.example.com',
      CLAIR_PUBLIC_LISTEN: '127.0.0.1:18443',
      CLAIR_NODE_LISTEN: '127.0.0.1:18444',
      CLAIR_NODE_PORT: '18444',
      CLAIR_TLS_CERT: ca!.certFile,
      CLAIR_TLS_KEY: ca!.keyFile,
    });
    assert.deepEqual(conf.match(/^\s*server \S+:16060 .*$/gm)?.map((l) => l.trim()), [
      'server 127.0.0.1:16060 max_fails=2 fail_timeout=10s;',
      'server 127.0.0.2:16060 max_fails=2 fail_timeout=10s;',
      'server 127.0.0.3:16060 max_fails=2 fail_timeout=10s;',
      'server 127.0.0.4:16060 max_fails=2 fail_timeout=10s;',
      'server 127.0.0.5:16060 max_fails=2 fail_timeout=10s;',
    ]);
    assert.match(await checkNginxConfig(mkdtempSync(join(dir, 'nginx-')), conf), /syntax is ok[\s\S]*test is successful/);
  });

  it('HAProxy accepts deploy/haproxy/haproxy.cfg, checking each replica\'s introspection port', { skip: noOpenssl ?? (await toolUnavailable('haproxy')) }, async () => {
    const cfg = await renderTemplate('haproxy/haproxy.cfg', {
      ...replicas,
      CLAIR_INDEXER_CHECK_PORTS: '18089 18089',
      CLAIR_MATCHER_CHECK_PORTS: '18089 18089',
      CLAIR_NOTIFIER_CHECK_PORTS: '18089',
      CLAIR_PUBLIC_BIND: '127.0.0.1:18443',
      CLAIR_NODE_BIND: '127.0.0.1:18444',
      CLAIR_TLS_PEM: ca!.bundleFile,
    });
    assert.deepEqual(cfg.match(/^\s*server .*$/gm)?.map((l) => l.trim()), [
      'server indexer1 127.0.0.1:16060 check port 18089',
      'server indexer2 127.0.0.2:16060 check port 18089',
      'server matcher1 127.0.0.3:16060 check port 18089',
      'server matcher2 127.0.0.4:16060 check port 18089',
      'server notifier1 127.0.0.5:16060 check port 18089',
    ]);
    const report = await checkHaproxyConfig(mkdtempSync(join(dir, 'haproxy-')), cfg);
    assert.match(report, /Configuration file is valid/);
    assert.doesNotMatch(report, /WARNING/);
  });
});
