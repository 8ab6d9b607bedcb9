import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { buildApiServer } from './server.js';
import { OPENAPI_FILE, openApiDocument, renderOpenApiFile } from './openapi-document.js';

const SHARED = resolve(OPENAPI_FILE, '..', '..', 'shared');

describe('OpenAPI document', () => {
  it('matches the committed openapi.yaml (run `npm run openapi` after changing routes)', async () => {
    assert.equal(readFileSync(OPENAPI_FILE, 'utf8'), await renderOpenApiFile());
  });

  it('is served at /openapi/v1 as JSON by default, YAML on request, with an ETag', async () => {
    const app = await buildApiServer({ services: {}, openApiDocument });
    const json = await app.inject({ method: 'GET', url: '/openapi/v1' });
    assert.equal(json.statusCode, 200);
    assert.equal(json.headers['content-type'], 'application/openapi+json; charset=utf-8');
    assert.deepEqual(json.json(), JSON.parse((await openApiDocument()).json));
    const yaml = await app.inject({ method: 'GET', url: '/openapi/v1', headers: { accept: 'application/yaml' } });
    assert.equal(yaml.headers['content-type'], 'application/yaml; charset=utf-8');
    assert.deepEqual(parse(yaml.body), json.json());
    const etag = json.headers.etag as string;
    assert.match(etag, /^"[0-9a-f]{32}"$/);
    assert.equal((await app.inject({ method: 'GET', url: '/openapi/v1', headers: { 'if-none-match': etag } })).statusCode, 304);
    assert.equal((await app.inject({ method: 'GET', url: '/openapi/v1', headers: { accept: 'text/html' } })).statusCode, 415);
  });

  it('documents every Clair path with its methods and schemas from the routes', async () => {
    const doc = JSON.parse((await openApiDocument()).json) as { paths: Record<string, Record<string, { tags?: string[] }>>; components: { schemas: Record<string, unknown> } };
    const methods = Object.fromEntries(Object.entries(doc.paths).map(([p, ops]) => [p, Object.keys(ops).sort()]));
    assert.deepEqual(methods, {
      '/indexer/api/v1/index_report': ['delete', 'post'],
      '/indexer/api/v1/index_report/{digest}': ['delete', 'get'],
      '/indexer/api/v1/index_state': ['get'],
      '/indexer/api/v1/internal/affected_manifest': ['post'],
      '/matcher/api/v1/vulnerability_report/{digest}': ['get'],
      '/matcher/api/v1/internal/update_operation': ['get'],
      '/matcher/api/v1/internal/update_operation/{ref}': ['delete'],
      '/matcher/api/v1/internal/update_diff': ['get'],
      '/notifier/api/v1/notification/{id}': ['delete', 'get'],
    });
    for (const name of ['manifest', 'layer', 'index_report', 'vulnerability_report', 'vulnerability', 'notification_page', 'error']) {
      assert.ok(doc.components.schemas[name], `component ${name}`);
    }
    assert.deepEqual(doc.paths['/indexer/api/v1/internal/affected_manifest']!.post!.tags, ['indexer', 'internal']);
  });

  it('covers every path of upstream Clair\'s OpenAPI', { skip: existsSync(SHARED) ? false : '../shared is absent: upstream OpenAPI not available' }, async () => {
    const upstream = parse(readFileSync(resolve(SHARED, 'spec/upstream/clair-openapi.yaml'), 'utf8')) as { paths: Record<string, Record<string, unknown>> };
    const ours = JSON.parse((await openApiDocument()).json) as { paths: Record<string, Record<string, unknown>> };
    const normalise = (p: string) => p.replace(/\{[^}]+\}/g, '{}');
    const ourPaths = new Map(Object.entries(ours.paths).map(([p, ops]) => [normalise(p), Object.keys(ops)]));
    for (const [path, ops] of Object.entries(upstream.paths)) {
      const methods = Object.keys(ops).filter((m) => ['get', 'post', 'put', 'delete', 'patch'].includes(m));
      assert.ok(ourPaths.has(normalise(path)), `missing path ${path}`);
      for (const m of methods) assert.ok(ourPaths.get(normalise(path))!.includes(m), `missing ${m} ${path}`);
    }
  });
});
