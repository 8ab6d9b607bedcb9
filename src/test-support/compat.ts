/**
 * @module One assertion for "real clients accept this response": the body is
 * valid against the project's OpenAPI document and Clair's published one
 * (with only its documented bugs excused, when ../shared is present), has no
 * null where an object belongs, and — for the bodies Quay reads — passes
 * Quay's schema check and its report code.
 */
import assert from 'node:assert/strict';
import type { ClairProcess } from '../app/start.js';
import type { Manifest } from '../model/index.js';
import { ourDocumentErrors, upstreamDocumentAvailable, upstreamDocumentErrors, type BodyKind } from './api-schemas.js';
import { quayFeatures, quayNotificationUpdates, quaySchemaErrors, type QuayBody, type QuayFeature } from './quay-client.js';

/** Keys whose value is an object in every Clair schema that has them. */
const OBJECT_KEYS = new Set(['package', 'distribution', 'repository', 'repo', 'source', 'page', 'vulnerability', 'prev', 'cur']);

/** Paths of every null under a key that must hold an object. */
export function objectNulls(body: unknown, path = ''): string[] {
  if (Array.isArray(body)) return body.flatMap((v, i) => objectNulls(v, `${path}/${i}`));
  if (typeof body !== 'object' || body === null) return [];
  return Object.entries(body).flatMap(([k, v]) => (v === null && OBJECT_KEYS.has(k) ? [`${path}/${k}`] : objectNulls(v, `${path}/${k}`)));
}

const QUAY_BODY: Partial<Record<BodyKind, QuayBody>> = {
  index_report: 'IndexReport',
  vulnerability_report: 'VulnerabilityReport',
  index_state: 'State',
  notification_page: 'PagedNotifications',
};

/** Asserts that every client the project promises to serve accepts `body` as a `kind`. */
export function assertClientsAccept(kind: BodyKind, body: unknown): void {
  assert.deepEqual(objectNulls(body), [], `${kind}: null where an object belongs`);
  assert.deepEqual(ourDocumentErrors(kind, body), [], `${kind}: invalid against openapi.yaml`);
  if (upstreamDocumentAvailable()) assert.deepEqual(upstreamDocumentErrors(kind, body), [], `${kind}: invalid against Clair's published OpenAPI`);
  const quay = QUAY_BODY[kind];
  if (quay) assert.deepEqual(quaySchemaErrors(quay, body), [], `${kind}: Quay's schema check rejects it`);
  if (kind === 'notification_page') quayNotificationUpdates(body as Record<string, unknown>);
}

/**
 * Fetches a manifest's index report and vulnerability report (and the index
 * state) as Quay does, asserts that every client accepts them, and returns
 * Quay's view of the vulnerability report.
 */
export async function assertManifestReportsAccepted(clair: ClairProcess, manifest: Manifest): Promise<QuayFeature[]> {
  const state = await fetch(`${clair.apiUrl}/indexer/api/v1/index_state`);
  assert.equal(state.status, 200);
  assert.ok(state.headers.get('etag'), 'index_state has an ETag (Quay requires one)');
  assertClientsAccept('index_state', await state.json());
  const posted = await fetch(`${clair.apiUrl}/indexer/api/v1/index_report`, { method: 'POST', body: JSON.stringify(manifest), headers: { 'content-type': 'application/json' } });
  assert.equal(posted.status, 201);
  assert.ok(posted.headers.get('etag'), 'POST index_report has an ETag (Quay asserts one)');
  assertClientsAccept('index_report', await posted.json());
  const index = await fetch(`${clair.apiUrl}/indexer/api/v1/index_report/${manifest.hash}`);
  assert.equal(index.status, 200);
  assertClientsAccept('index_report', await index.json());
  const vulns = await fetch(`${clair.apiUrl}/matcher/api/v1/vulnerability_report/${manifest.hash}`);
  assert.equal(vulns.status, 200);
  const report = (await vulns.json()) as Record<string, unknown>;
  assertClientsAccept('vulnerability_report', report);
  return quayFeatures(report);
}
