/**
 * The shipped Kubernetes manifests (deploy/kubernetes/): every document
 * parses and passes the Kubernetes OpenAPI schema of its kind (the
 * `kubernetes-models` package's validators); the kustomizations list every
 * file; and the pieces fit together: selectors, Services, probes, volumes,
 * the Ingress against the public paths of openapi.yaml, the HPA's target,
 * the image's user. The ConfigMap's config file with the Secret's drop-ins
 * passes the real `clair -check` in each mode the Deployments run, and its
 * node addresses name Services that exist.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { ConfigMap, Secret, Service } from 'kubernetes-models/v1';
import { Deployment } from 'kubernetes-models/apps/v1';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { DEPLOY_DIR } from '../test-support/load-balancers.js';
import { killSpawned, spawnCli } from '../test-support/spawn.js';
import type { Config } from '../config/types.js';

const ROOT = join(DEPLOY_DIR, 'kubernetes');
const OPENAPI = join(DEPLOY_DIR, '..', 'openapi.yaml');

/** The kinds the manifests use, with their schema validators. */
const SCHEMAS: Record<string, new (data: never) => { validate(): void }> = {
  'v1/ConfigMap': ConfigMap,
  'v1/Secret': Secret,
  'v1/Service': Service,
  'apps/v1/Deployment': Deployment,
  'networking.k8s.io/v1/Ingress': Ingress,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
};

/**
 * A manifest as the checks read it. `spec` is left untyped on purpose: the
 * schema validation is the strict part, and the checks then only walk it.
 */
interface Obj {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  spec?: any;
  data?: Record<string, string>;
  stringData?: Record<string, string>;
  resources?: string[];
}
interface Doc { file: string; obj: Obj }

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.yaml')).map((f) => join(dir, f)).sort();
}

function documents(file: string): Obj[] {
  return parseAllDocuments(readFileSync(file, 'utf8')).map((doc, i) => {
    assert.deepEqual(doc.errors.map((e) => e.message), [], `${relative(ROOT, file)} document ${i + 1}`);
    const obj = doc.toJS() as Obj | null;
    assert.ok(obj, `${relative(ROOT, file)} document ${i + 1} is empty`);
    return obj;
  });
}

/** Every object a kustomization directory puts together, following `resources` into other directories. */
function build(kustomizationDir: string): Doc[] {
  const [kustomization] = documents(join(kustomizationDir, 'kustomization.yaml'));
  return kustomization!.resources!.flatMap((entry) => {
    const path = resolve(kustomizationDir, entry);
    assert.ok(existsSync(path), `${relative(ROOT, kustomizationDir)}/kustomization.yaml lists ${entry}, which does not exist`);
    return statSync(path).isDirectory() ? build(path) : documents(path).map((obj) => ({ file: relative(ROOT, path), obj }));
  });
}

const VARIANTS = ['distributed', 'combo'] as const;
const built = Object.fromEntries(VARIANTS.map((v) => [v, build(join(ROOT, v))])) as Record<(typeof VARIANTS)[number], Doc[]>;
const of = (docs: Doc[], kind: string) => docs.filter((d) => d.obj.kind === kind).map((d) => d.obj);
const dir = mkdtempSync(join(tmpdir(), 'clair-k8s-'));
after(() => {
  killSpawned();
  rmSync(dir, { recursive: true, force: true });
});

describe('the Kubernetes manifests', () => {
  it('are all used by a kustomization, and each passes its kind\'s Kubernetes schema', () => {
    const kustomizations = yamlFiles(ROOT).filter((f) => f.endsWith('kustomization.yaml'));
    const listed = new Set(kustomizations.flatMap((k) => documents(k)[0]!.resources!.map((r) => resolve(dirname(k), r))));
    for (const file of yamlFiles(ROOT).filter((f) => !f.endsWith('kustomization.yaml'))) {
      assert.ok(listed.has(file), `${relative(ROOT, file)} is in no kustomization`);
      for (const obj of documents(file)) {
        const Model = SCHEMAS[`${obj.apiVersion}/${obj.kind}`];
        assert.ok(Model, `${relative(ROOT, file)}: no schema for ${obj.apiVersion} ${obj.kind}`);
        assert.doesNotThrow(() => new Model(obj as never).validate(), `${relative(ROOT, file)} ${obj.kind}/${obj.metadata?.name}`);
        assert.match(obj.metadata.name, /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
      }
    }
  });

  it('the schema check catches a broken manifest', () => {
    const [deployment] = of(built.distributed, 'Deployment');
    const broken = structuredClone(deployment!);
    broken.spec.template.spec.containers[0].ports[0].containerPort = '6060';
    delete broken.spec.selector;
    assert.throws(() => new Deployment(broken as never).validate(), /containerPort must be integer|must have required property 'selector'/);
  });

  for (const variant of VARIANTS) {
    describe(variant, () => {
      const docs = built[variant];
      const deployments = of(docs, 'Deployment');
      const services = of(docs, 'Service');
      const expectedModes = variant === 'combo' ? ['combo'] : ['indexer', 'matcher', 'notifier'];

      it('has one object of each name per kind', () => {
        const keys = docs.map((d) => `${d.obj.kind}/${d.obj.metadata.name}`);
        assert.deepEqual(keys, [...new Set(keys)]);
      });

      it('runs each node type as a Deployment setting CLAIR_MODE, with probes, resources, non-root, and the config mounted', () => {
        const configMaps = new Set(of(docs, 'ConfigMap').map((c) => c.metadata.name));
        const secrets = new Set(of(docs, 'Secret').map((s) => s.metadata.name));
        const modes: string[] = [];
        for (const d of deployments) {
          const name = d.metadata.name;
          const template = d.spec.template;
          for (const [k, v] of Object.entries(d.spec.selector.matchLabels as Record<string, string>)) assert.equal(template.metadata.labels[k], v, `${name}: selector ${k}`);
          const [container, ...others] = template.spec.containers;
          assert.equal(others.length, 0);
          const env = Object.fromEntries((container.env as Array<{ name: string; value: string }>).map((e) => [e.name, e.value]));
          modes.push(env.CLAIR_MODE!);
          assert.equal(env.CLAIR_CONF, '/etc/clair/config.yaml');
          assert.equal(template.metadata.labels['app.kubernetes.io/component'], env.CLAIR_MODE);
          const ports = Object.fromEntries((container.ports as Array<{ name: string; containerPort: number }>).map((p) => [p.name, p.containerPort]));
          assert.deepEqual(ports, { api: 6060, introspection: 8089 }, `${name}: the ports of http_listen_addr and introspection_addr`);
          assert.deepEqual(container.livenessProbe.httpGet, { path: '/healthz', port: 'introspection' });
          assert.deepEqual(container.readinessProbe.httpGet, { path: '/readyz', port: 'introspection' });
          for (const bound of ['requests', 'limits']) for (const resource of ['cpu', 'memory']) assert.ok(container.resources[bound][resource], `${name}: resources.${bound}.${resource}`);
          // The Dockerfile's `USER 1000:1000`.
          assert.deepEqual([template.spec.securityContext.runAsNonRoot, template.spec.securityContext.runAsUser], [true, 1000]);
          assert.equal(container.securityContext.readOnlyRootFilesystem, true);
          const volumes = new Map((template.spec.volumes as Array<{ name: string; configMap?: { name: string }; secret?: { secretName: string }; emptyDir?: object }>).map((v) => [v.name, v]));
          const mounts = Object.fromEntries((container.volumeMounts as Array<{ name: string; mountPath: string }>).map((m) => [m.mountPath, volumes.get(m.name)]));
          assert.ok(configMaps.has(mounts['/etc/clair/config.yaml']?.configMap?.name ?? ''), `${name}: config.yaml from a ConfigMap of this variant`);
          assert.ok(secrets.has(mounts['/etc/clair/config.yaml.d']?.secret?.secretName ?? ''), `${name}: drop-ins from a Secret of this variant`);
          assert.ok(mounts['/tmp']?.emptyDir, `${name}: a writable /tmp (layer spool) on a read-only root`);
          const service = services.find((s) => s.metadata.name === name);
          assert.ok(service, `${name}: a Service of the same name`);
          assert.deepEqual(service.spec.selector, d.spec.selector.matchLabels);
          assert.deepEqual(service.spec.ports.map((p: { name: string; port: number; targetPort: string }) => [p.name, p.port, p.targetPort]), [['api', 6060, 'api'], ['introspection', 8089, 'introspection']]);
        }
        assert.deepEqual(modes.sort(), expectedModes);
      });

      it('routes the public API by path prefix through a TLS Ingress, and no internal path', () => {
        const [ingress, ...more] = of(docs, 'Ingress');
        assert.ok(ingress);
        assert.equal(more.length, 0);
        const [rule] = ingress.spec.rules;
        assert.ok(ingress.spec.tls.some((t: { hosts: string[]; secretName: string }) => t.hosts.includes(rule.host) && t.secretName), 'TLS for the rule\'s host');
        const routes = (rule.http.paths as Array<{ path: string; pathType: string; backend: { service: { name: string; port: { name: string } } } }>).map((p) => {
          assert.equal(p.pathType, 'Prefix');
          const service = services.find((s) => s.metadata.name === p.backend.service.name);
          assert.ok(service, `${p.path}: Service ${p.backend.service.name} exists`);
          assert.ok(service.spec.ports.some((port: { name: string }) => port.name === p.backend.service.port.name), `${p.path}: ${p.backend.service.name}:${p.backend.service.port.name} exists`);
          assert.doesNotMatch(p.path, /internal/);
          return { prefix: p.path, component: service.spec.selector['app.kubernetes.io/component'] as string };
        });
        // Kubernetes' Prefix matches whole path elements.
        const route = (path: string) => routes.filter((r) => path === r.prefix || path.startsWith(`${r.prefix}/`)).sort((a, b) => b.prefix.length - a.prefix.length)[0];
        const apiPaths = Object.keys((parse(readFileSync(OPENAPI, 'utf8')) as { paths: Record<string, unknown> }).paths);
        assert.ok(apiPaths.length > 5);
        for (const path of [...apiPaths, '/openapi/v1']) {
          const concrete = path.replace(/\{[^}]+\}/g, 'x');
          const to = route(concrete);
          if (path.includes('/internal/')) {
            assert.equal(to, undefined, `${path} must not be routed`);
          } else {
            assert.ok(to, `${path} is routed`);
            const owner = path.split('/')[1]!;
            if (owner !== 'openapi') assert.ok([owner, 'combo'].includes(to.component), `${path} goes to the ${owner}, not the ${to.component}`);
          }
        }
      });

      it('migrates at start under the database\'s advisory lock: no migration Job, migrations on for every node type', async () => {
        assert.deepEqual(docs.filter((d) => d.obj.kind === 'Job'), []);
        const config = parse(of(docs, 'ConfigMap')[0]!.data!['config.yaml']!) as Record<string, { migrations?: boolean }>;
        for (const service of ['indexer', 'matcher', 'notifier']) assert.equal(config[service]?.migrations, true, service);
      });

      it('its config file and secret drop-ins pass `clair -check` in each mode, and the node addresses name its Services', async () => {
        const confDir = mkdtempSync(join(dir, `${variant}-`));
        const [configMap] = of(docs, 'ConfigMap');
        const [secret] = of(docs, 'Secret');
        writeFileSync(join(confDir, 'config.yaml'), configMap!.data!['config.yaml']!);
        mkdirSync(join(confDir, 'config.yaml.d'));
        for (const [file, text] of Object.entries(secret!.stringData!)) writeFileSync(join(confDir, 'config.yaml.d', file), text);
        const checks = await Promise.all(
          [...new Set([...expectedModes, 'combo'])].map(async (mode) => {
            const run = spawnCli('clair', ['-check', '-format', 'json', '-mode', mode, '-conf', join(confDir, 'config.yaml')]);
            const code = await run.exit;
            return { mode, code, stderr: run.stderr(), config: code === 0 ? (JSON.parse(run.stdout()) as Config) : undefined };
          }),
        );
        for (const { mode, code, stderr, config } of checks) {
          assert.equal(code, 0, `${mode}: ${stderr}`);
          assert.equal(stderr, '', `${mode}: no lints`);
          assert.deepEqual(config!.auth.psk?.iss, ['quay', 'clairctl'], `${mode}: the PSK comes from the Secret`);
          for (const service of ['indexer', 'matcher', 'notifier'] as const) assert.match(config![service].connstring, /^host=clair-\w+-db /, `${mode}: ${service}.connstring from the Secret`);
        }
        const config = checks[0]!.config!;
        const byName = new Map(of(built.distributed, 'Service').map((s) => [s.metadata.name, s]));
        for (const addr of [config.matcher.indexer_addr, config.notifier.indexer_addr, config.notifier.matcher_addr]) {
          const url = new URL(addr);
          const service = byName.get(url.hostname);
          assert.ok(service, `${addr}: a Service of the distributed variant`);
          assert.ok(service.spec.ports.some((p: { name: string; port: number }) => p.name === 'api' && p.port === Number(url.port)), `${addr}: its api port`);
        }
      });
    });
  }

  it('scales the indexers with an HPA on CPU, whose target exists and leaves replicas to it', () => {
    const docs = built.distributed;
    const [hpa] = of(docs, 'HorizontalPodAutoscaler');
    const target = of(docs, 'Deployment').find((d) => d.metadata.name === hpa!.spec.scaleTargetRef.name);
    assert.equal(hpa!.spec.scaleTargetRef.kind, 'Deployment');
    assert.equal(target?.spec.template.metadata.labels['app.kubernetes.io/component'], 'indexer');
    assert.equal(target.spec.replicas, undefined, 'the HPA owns the replica count');
    assert.ok(target.spec.template.spec.containers[0].resources.requests.cpu, 'CPU utilization needs a CPU request');
    assert.ok(hpa!.spec.minReplicas >= 2 && hpa!.spec.maxReplicas > hpa!.spec.minReplicas);
    for (const pdb of of(docs, 'PodDisruptionBudget')) {
      assert.ok(of(docs, 'Deployment').some((d) => Object.entries(pdb.spec.selector.matchLabels as Record<string, string>).every(([k, v]) => d.spec.template.metadata.labels[k] === v)), `${pdb.metadata.name} selects a Deployment`);
    }
  });
});
