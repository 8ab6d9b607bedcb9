/**
 * @module JSON Schemas of Clair's wire types. They validate requests,
 * serialise responses and generate the OpenAPI document, so they are the
 * single definition of the API's shapes. Names follow upstream's
 * `components.schemas`.
 *
 * They are as strict as Clair's published document wherever Clair's code
 * (claircore's JSON tags, written by the ugorji codec) agrees with it, and
 * follow the code where the two disagree; each such place says so in a
 * `$comment`. Response schemas state everything the code always writes as
 * `required`, so serialisation fails loudly rather than dropping a field.
 * Request schemas stay as lenient as Clair's decoder: a body Clair accepts
 * is never refused here.
 */
import { DIGEST_PATTERN } from '../model/digest.js';
import { INDEX_STATES } from '../model/index-report.js';
import { SEVERITIES } from '../model/vulnerability.js';

const str = { type: 'string' } as const;
const ref = (id: string) => ({ $ref: `${id}#` }) as const;
const mapOf = (schema: object) => ({ type: 'object', additionalProperties: schema }) as const;
const uuid = { type: 'string', format: 'uuid' } as const;
const dateTime = { type: 'string', format: 'date-time' } as const;

export const schemas = {
  digest: {
    $id: 'digest',
    type: 'string',
    description: 'A content digest: sha256 (64 hex) or sha512 (128 hex).',
    $comment: 'Upstream also lists blake3, which Clair does not implement and rejects.',
    pattern: DIGEST_PATTERN,
    examples: ['sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a'],
  },
  error: {
    $id: 'error',
    type: 'object',
    description: 'A general error response.',
    properties: {
      code: { type: 'string', description: 'A code for this particular error: bad-request, not-found, method-not-allowed, too-many-requests or internal-error.' },
      message: { type: 'string', description: 'Further detail.' },
    },
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
        $comment: 'Upstream restricts header names to [a-zA-Z0-9-_]; Clair\'s decoder accepts any name, and so does this service.',
        additionalProperties: { type: 'array', items: str },
      },
      media_type: { type: 'string', pattern: '^application/vnd\\.oci\\.image\\.layer\\.v1\\.tar(\\+(gzip|zstd))?$', description: 'The OCI layer media type.' },
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
      layers: {
        type: 'array',
        minItems: 1,
        items: ref('layer'),
        description: 'The layers, in order.',
        $comment: 'Upstream\'s document makes layers optional; Clair\'s handler answers 400 to a manifest without layers, as this service does.',
      },
    },
    required: ['hash', 'layers'],
    additionalProperties: false,
  },
  package: {
    $id: 'package',
    type: 'object',
    description: 'A package found in a manifest, or the package a vulnerability names.',
    properties: {
      id: { type: 'string', description: 'Unique within the response document. Empty inside a vulnerability.' },
      name: str,
      version: str,
      kind: {
        type: 'string',
        enum: ['binary', 'source', 'layer', 'ancestry'],
        description: 'Absent when unknown.',
        $comment: 'Upstream\'s document says BINARY or SOURCE; claircore writes its package kinds in lower case, including layer and ancestry for container images.',
      },
      source: { ...ref('package'), description: 'The source package of a binary package, when known.' },
      normalized_version: { type: 'string', description: '`<kind>:<10 dot-separated integers>`, or empty.' },
      module: str,
      arch: str,
      cpe: {
        type: 'string',
        description: 'A CPE 2.3 formatted string, or empty.',
        $comment: 'Upstream\'s document requires a CPE pattern; claircore writes an empty string when there is none.',
      },
    },
    required: ['id', 'name', 'version', 'normalized_version', 'cpe'],
    additionalProperties: false,
  },
  distribution: {
    $id: 'distribution',
    type: 'object',
    description: 'The operating system a package belongs to (os-release fields). Every field is always present, possibly empty.',
    properties: { id: str, did: str, name: str, version: str, version_code_name: str, version_id: str, arch: str, cpe: str, pretty_name: str },
    required: ['id', 'did', 'name', 'version', 'version_code_name', 'version_id', 'arch', 'cpe', 'pretty_name'],
    additionalProperties: false,
  },
  repository: {
    $id: 'repository',
    type: 'object',
    description: 'A package repository. Empty fields other than cpe are left out, as claircore does.',
    $comment: 'Upstream\'s document requires id, but inside a vulnerability claircore leaves the empty id out; it also says uri is a URI, but RHEL repositories carry `repoid=<id>`.',
    properties: { id: str, name: str, key: str, uri: str, cpe: str },
    required: ['cpe'],
    additionalProperties: false,
  },
  environment: {
    $id: 'environment',
    type: 'object',
    description: 'Where a package was found.',
    properties: {
      package_db: str,
      introduced_in: ref('digest'),
      distribution_id: str,
      repository_ids: {
        type: ['array', 'null'],
        items: str,
        $comment: 'claircore writes null when the package has no repository; upstream\'s document says array.',
      },
    },
    required: ['package_db', 'introduced_in', 'distribution_id', 'repository_ids'],
    additionalProperties: false,
  },
  index_report: {
    $id: 'index_report',
    type: 'object',
    description: 'What the indexer found in a manifest.',
    properties: {
      manifest_hash: ref('digest'),
      state: { type: 'string', enum: [...INDEX_STATES] },
      packages: mapOf(ref('package')),
      distributions: mapOf(ref('distribution')),
      repository: { ...mapOf(ref('repository')), description: 'Repositories by id (upstream\'s key is singular).' },
      environments: mapOf({ type: 'array', items: ref('environment') }),
      success: { type: 'boolean' },
      err: str,
    },
    required: ['manifest_hash', 'state', 'packages', 'distributions', 'repository', 'environments', 'success', 'err'],
    additionalProperties: false,
  },
  index_state: {
    $id: 'index_state',
    type: 'object',
    description: 'An opaque token that changes when the indexer\'s scanners change.',
    properties: { state: str },
    required: ['state'],
    additionalProperties: false,
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
    description: 'A well-defined severity, whatever the vendor calls it.',
    enum: [...SEVERITIES],
  },
  range: {
    $id: 'range',
    type: 'object',
    description: 'The normalized versions a vulnerability applies to: `[` inclusive lower bound, `)` exclusive upper bound.',
    properties: { '[': str, ')': str },
    minProperties: 1,
    additionalProperties: false,
  },
  alias: {
    $id: 'alias',
    type: 'object',
    description: 'An identifier of a flaw: a namespace (`CVE`, `GHSA`, or a URI) and a name within it, e.g. `{"space": "CVE", "name": "2024-3094"}`.',
    properties: { space: str, name: str },
    required: ['space', 'name'],
    additionalProperties: false,
  },
  vulnerability: {
    $id: 'vulnerability',
    type: 'object',
    description: 'A vulnerability record from an updater.',
    $comment: 'Upstream\'s document makes package require arch_op; claircore leaves arch_op out unless the record sets one.',
    properties: {
      id: { type: 'string', description: 'Unique within the response document.' },
      updater: str,
      name: str,
      description: str,
      issued: { ...dateTime, description: 'When it was issued; 0001-01-01T00:00:00Z when unknown.' },
      links: { type: 'string', description: 'Space-separated URLs.' },
      severity: { type: 'string', description: 'The vendor\'s own severity.' },
      normalized_severity: ref('normalized_severity'),
      package: ref('package'),
      distribution: ref('distribution'),
      repository: ref('repository'),
      fixed_in_version: { type: 'string', description: 'The first fixed version; empty when no fix is known.' },
      range: { ...ref('range'), description: 'Present in update diffs and affected manifests; vulnerability reports leave it out, as claircore does.' },
      arch_op: { type: 'string', enum: ['equals', 'not equals', 'pattern match'] },
      Self: { ...ref('alias'), description: 'The record\'s own identifier (claircore `Self`, under Go\'s field name). Left out when the updater gives none.' },
      Aliases: { type: 'array', items: ref('alias'), description: 'Other identifiers of the same flaw (claircore `Aliases`). Left out when there are none.' },
    },
    required: ['id', 'updater', 'name', 'description', 'issued', 'links', 'severity', 'normalized_severity', 'package', 'distribution', 'repository', 'fixed_in_version'],
    additionalProperties: false,
  },
  vulnerability_report: {
    $id: 'vulnerability_report',
    type: 'object',
    description: 'The vulnerabilities affecting a manifest.',
    properties: {
      manifest_hash: ref('digest'),
      packages: mapOf(ref('package')),
      distributions: mapOf(ref('distribution')),
      repository: mapOf(ref('repository')),
      environments: mapOf({ type: 'array', items: ref('environment') }),
      vulnerabilities: mapOf(ref('vulnerability')),
      package_vulnerabilities: mapOf({ type: 'array', items: str }),
      enrichments: { ...mapOf({ type: 'array' }), description: 'Enrichment data by enricher type.' },
    },
    required: ['manifest_hash', 'packages', 'distributions', 'repository', 'environments', 'vulnerabilities', 'package_vulnerabilities', 'enrichments'],
    additionalProperties: false,
  },
  affected_manifests_request: {
    $id: 'affected_manifests_request',
    type: 'object',
    description: 'Internal: vulnerabilities whose affected manifests are wanted, as a notifier sends them from an update diff.',
    $comment: 'Upstream\'s document describes a bare array of vulnerability summaries; Clair\'s handler decodes this object. Items are as lenient as Clair\'s decoder.',
    properties: { vulnerabilities: { type: 'array', items: ref('vulnerability_request') } },
    required: ['vulnerabilities'],
  },
  vulnerability_request: {
    $id: 'vulnerability_request',
    type: 'object',
    description: 'Internal: a vulnerability as a request carries it. Typed, but no field is required.',
    properties: {
      id: str,
      updater: str,
      name: str,
      description: str,
      issued: str,
      links: str,
      severity: str,
      normalized_severity: str,
      package: { type: ['object', 'null'], properties: { name: str, version: str, kind: str, module: str, arch: str } },
      distribution: { type: ['object', 'null'], properties: { did: str, name: str, version: str, version_code_name: str, version_id: str, arch: str, cpe: str, pretty_name: str } },
      repository: { type: ['object', 'null'], properties: { name: str, key: str, uri: str, cpe: str } },
      fixed_in_version: str,
      range: { type: ['object', 'null'], properties: { '[': str, ')': str } },
      arch_op: str,
    },
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
    additionalProperties: false,
  },
  update_operation: {
    $id: 'update_operation',
    type: 'object',
    description: 'Internal: one run of an updater that changed its data.',
    properties: {
      ref: uuid,
      updater: str,
      fingerprint: str,
      date: dateTime,
      kind: { type: 'string', enum: ['vulnerability', 'enrichment'] },
    },
    required: ['ref', 'updater', 'fingerprint', 'date', 'kind'],
    additionalProperties: false,
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
      prev: { ...ref('update_operation'), description: 'The previous operation; the nil UUID when diffing against nothing.' },
      cur: ref('update_operation'),
      added: { type: 'array', items: ref('vulnerability') },
      removed: { type: 'array', items: ref('vulnerability') },
    },
    required: ['prev', 'cur', 'added', 'removed'],
    additionalProperties: false,
  },
  vulnerability_summary: {
    $id: 'vulnerability_summary',
    type: 'object',
    description: 'The vulnerability a notification is about.',
    $comment: 'Upstream\'s document describes a vulnerability_core here; Clair\'s notifier writes this shape: `severity` holds the normalized severity and the repository key is `repo`.',
    properties: {
      name: str,
      description: str,
      package: ref('package'),
      distribution: ref('distribution'),
      repo: ref('repository'),
      severity: ref('normalized_severity'),
      fixed_in_version: str,
      links: str,
    },
    required: ['name', 'description', 'severity', 'fixed_in_version', 'links'],
    additionalProperties: false,
  },
  notification: {
    $id: 'notification',
    type: 'object',
    description: 'A change in the vulnerabilities affecting a manifest.',
    properties: {
      id: uuid,
      manifest: ref('digest'),
      reason: { type: 'string', enum: ['added', 'removed'] },
      vulnerability: ref('vulnerability_summary'),
    },
    required: ['id', 'manifest', 'reason', 'vulnerability'],
    additionalProperties: false,
  },
  notification_page: {
    $id: 'notification_page',
    type: 'object',
    description: 'A page of notifications.',
    properties: {
      page: {
        type: 'object',
        properties: {
          size: { type: 'integer', description: 'The page size asked for.' },
          next: { ...uuid, description: 'Pass as `next` to get the following page; absent on the last page.' },
        },
        required: ['size'],
        additionalProperties: false,
      },
      notifications: { type: 'array', items: ref('notification') },
    },
    required: ['page', 'notifications'],
    additionalProperties: false,
  },
  notification_webhook: {
    $id: 'notification_webhook',
    type: 'object',
    description: 'The body Clair POSTs to a webhook target when a notification is ready.',
    properties: { notification_id: uuid, callback: { type: 'string', format: 'uri', description: 'Where to page through the notification.' } },
    required: ['notification_id', 'callback'],
    additionalProperties: false,
  },
} as const;

export type SchemaId = keyof typeof schemas;
export { ref };
