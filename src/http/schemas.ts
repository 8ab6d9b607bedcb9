/**
 * @module JSON Schemas of Clair's wire types. They validate requests,
 * serialise responses and generate the OpenAPI document, so they are the
 * single definition of the API's shapes. Names follow upstream's
 * `components.schemas`.
 */
import { DIGEST_PATTERN } from '../model/digest.js';
import { SEVERITIES } from '../model/vulnerability.js';

const str = { type: 'string' } as const;
const ref = (id: string) => ({ $ref: `${id}#` }) as const;
const mapOf = (schema: object) => ({ type: 'object', additionalProperties: schema }) as const;

export const schemas = {
  digest: {
    $id: 'digest',
    type: 'string',
    description: 'A content digest: sha256 (64 hex) or sha512 (128 hex).',
    pattern: DIGEST_PATTERN,
    examples: ['sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a'],
  },
  error: {
    $id: 'error',
    type: 'object',
    description: 'A general error response.',
    properties: { code: { type: 'string', description: 'A code for this particular error.' }, message: { type: 'string', description: 'Further detail.' } },
    required: ['message'],
  },
  layer: {
    $id: 'layer',
    type: 'object',
    description: 'A container layer, with what is needed to fetch it.',
    properties: {
      hash: ref('digest'),
      uri: { type: 'string', minLength: 1, description: 'Where the layer blob can be downloaded from.' },
      headers: {
        type: 'object',
        description: 'HTTP headers to send when fetching the layer.',
        additionalProperties: { type: 'array', items: str },
      },
      media_type: { type: 'string', pattern: '^application/vnd\\.oci\\.image\\.layer\\.v1\\.tar(\\+(gzip|zstd))?$' },
    },
    required: ['hash', 'uri'],
    additionalProperties: false,
  },
  manifest: {
    $id: 'manifest',
    type: 'object',
    description: 'An OCI image manifest: its digest and its layers, in order.',
    properties: {
      hash: ref('digest'),
      layers: { type: 'array', minItems: 1, items: ref('layer'), description: 'The layers, in order. At least one is required.' },
    },
    required: ['hash', 'layers'],
    additionalProperties: false,
  },
  detector: {
    $id: 'detector',
    type: ['object', 'null'],
    properties: { name: str, version: str, kind: str },
  },
  package: {
    $id: 'package',
    type: 'object',
    description: 'A package found in a manifest.',
    properties: {
      id: str,
      name: str,
      version: str,
      kind: { type: 'string', description: '"binary" or "source" (lower case on the wire).' },
      source: ref('package'),
      normalized_version: str,
      module: str,
      arch: str,
      cpe: str,
      detector: ref('detector'),
    },
    required: ['name', 'version'],
  },
  distribution: {
    $id: 'distribution',
    type: 'object',
    description: 'The operating system a package belongs to.',
    properties: { id: str, did: str, name: str, version: str, version_code_name: str, version_id: str, arch: str, cpe: str, pretty_name: str },
  },
  repository: {
    $id: 'repository',
    type: 'object',
    description: 'A package repository.',
    properties: { id: str, name: str, key: str, uri: str, cpe: str },
  },
  environment: {
    $id: 'environment',
    type: 'object',
    description: 'Where a package was found.',
    properties: {
      package_db: str,
      introduced_in: str,
      distribution_id: str,
      repository_ids: { type: ['array', 'null'], items: str },
    },
  },
  index_report: {
    $id: 'index_report',
    type: 'object',
    description: 'What the indexer found in a manifest.',
    properties: {
      manifest_hash: str,
      state: str,
      packages: mapOf(ref('package')),
      distributions: mapOf(ref('distribution')),
      repository: mapOf(ref('repository')),
      environments: mapOf({ type: 'array', items: ref('environment') }),
      success: { type: 'boolean' },
      err: str,
    },
    required: ['manifest_hash', 'state', 'success'],
  },
  index_state: {
    $id: 'index_state',
    type: 'object',
    description: 'An opaque token that changes when the indexer\'s scanners change.',
    properties: { state: str },
    required: ['state'],
  },
  bulk_delete: {
    $id: 'bulk_delete',
    type: 'array',
    description: 'Manifest digests to delete.',
    items: ref('digest'),
  },
  normalized_severity: {
    $id: 'normalized_severity',
    type: 'string',
    enum: [...SEVERITIES],
  },
  range: {
    $id: 'range',
    type: ['object', 'null'],
    properties: { '[': str, ')': str },
  },
  vulnerability: {
    $id: 'vulnerability',
    type: 'object',
    description: 'A vulnerability record from an updater.',
    properties: {
      id: str,
      updater: str,
      name: str,
      description: str,
      issued: str,
      links: str,
      severity: str,
      normalized_severity: ref('normalized_severity'),
      package: { anyOf: [ref('package'), { type: 'null' }] },
      distribution: { anyOf: [ref('distribution'), { type: 'null' }] },
      repository: { anyOf: [ref('repository'), { type: 'null' }] },
      fixed_in_version: str,
      range: ref('range'),
      arch_op: str,
    },
  },
  vulnerability_report: {
    $id: 'vulnerability_report',
    type: 'object',
    description: 'The vulnerabilities affecting a manifest.',
    properties: {
      manifest_hash: str,
      packages: mapOf(ref('package')),
      distributions: mapOf(ref('distribution')),
      repository: mapOf(ref('repository')),
      environments: mapOf({ type: 'array', items: ref('environment') }),
      vulnerabilities: mapOf(ref('vulnerability')),
      package_vulnerabilities: mapOf({ type: 'array', items: str }),
      enrichments: mapOf({ type: 'array', items: {} }),
    },
    required: ['manifest_hash'],
  },
  affected_manifests_request: {
    $id: 'affected_manifests_request',
    type: 'object',
    description: 'Internal: vulnerabilities whose affected manifests are wanted.',
    properties: { vulnerabilities: { type: 'array', items: ref('vulnerability') } },
    required: ['vulnerabilities'],
  },
  affected_manifests: {
    $id: 'affected_manifests',
    type: 'object',
    description: 'Internal: manifests affected by the given vulnerabilities.',
    properties: {
      vulnerabilities: mapOf(ref('vulnerability')),
      vulnerable_manifests: mapOf({ type: 'array', items: str }),
    },
    required: ['vulnerabilities', 'vulnerable_manifests'],
  },
  update_operation: {
    $id: 'update_operation',
    type: 'object',
    description: 'Internal: one run of an updater that changed its data.',
    properties: {
      ref: { type: 'string', format: 'uuid' },
      updater: str,
      fingerprint: str,
      date: str,
      kind: { type: 'string', enum: ['vulnerability', 'enrichment'] },
    },
  },
  update_operations: {
    $id: 'update_operations',
    type: 'object',
    description: 'Internal: update operations by updater, newest first.',
    additionalProperties: { type: 'array', items: ref('update_operation') },
  },
  update_diff: {
    $id: 'update_diff',
    type: 'object',
    description: 'Internal: vulnerabilities added and removed between two update operations.',
    properties: {
      prev: ref('update_operation'),
      cur: ref('update_operation'),
      added: { type: 'array', items: ref('vulnerability') },
      removed: { type: 'array', items: ref('vulnerability') },
    },
  },
  vulnerability_summary: {
    $id: 'vulnerability_summary',
    type: 'object',
    properties: {
      name: str,
      description: str,
      package: ref('package'),
      distribution: ref('distribution'),
      repo: ref('repository'),
      severity: str,
      fixed_in_version: str,
      links: str,
    },
  },
  notification: {
    $id: 'notification',
    type: 'object',
    properties: {
      id: str,
      manifest: str,
      reason: { type: 'string', enum: ['added', 'removed', 'changed'] },
      vulnerability: ref('vulnerability_summary'),
    },
  },
  notification_page: {
    $id: 'notification_page',
    type: 'object',
    description: 'A page of notifications.',
    properties: {
      page: { type: 'object', properties: { size: { type: 'integer' }, next: str }, required: ['size'] },
      notifications: { type: 'array', items: ref('notification') },
    },
    required: ['page', 'notifications'],
  },
  notification_webhook: {
    $id: 'notification_webhook',
    type: 'object',
    description: 'The body Clair POSTs to a webhook target when notifications are ready.',
    properties: { notification_id: { type: 'string', format: 'uuid' }, callback: str },
    required: ['notification_id', 'callback'],
  },
} as const;

export type SchemaId = keyof typeof schemas;
export { ref };
