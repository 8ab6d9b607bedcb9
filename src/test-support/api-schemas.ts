/**
 * @module Validates real API response bodies against two OpenAPI documents:
 * the project's own (`openapi.yaml`, which must accept everything the service
 * writes) and Clair's published one (`../shared/spec/upstream`, when present),
 * where only the places its document contradicts Clair's own code are
 * excused. Each excuse names the contradiction, so a new kind of failure is
 * never waved through.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { parse } from 'yaml';
import { OPENAPI_FILE } from '../http/openapi-document.js';

// ajv-formats is CommonJS with a default export.
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

export const UPSTREAM_OPENAPI = resolve(OPENAPI_FILE, '..', '..', 'shared', 'spec', 'upstream', 'clair-openapi.yaml');

/** Component schema names of the wire bodies, shared by both documents. */
export type BodyKind =
  | 'index_report'
  | 'index_state'
  | 'vulnerability_report'
  | 'affected_manifests'
  | 'update_operations'
  | 'update_diff'
  | 'notification_page'
  | 'bulk_delete'
  | 'error';

/** Why Clair's document is wrong about one thing its code writes. */
interface DocumentBug {
  readonly why: string;
  readonly matches: (e: ErrorObject) => boolean;
}

const at = (e: ErrorObject, tail: RegExp): boolean => tail.test(e.instancePath);

/**
 * Contradictions between Clair's published document and Clair's code
 * (claircore's JSON tags), in which the code wins.
 */
export const UPSTREAM_DOCUMENT_BUGS: readonly DocumentBug[] = [
  { why: 'package kind is lower case on the wire (binary, source, layer, ancestry); the document says BINARY/SOURCE', matches: (e) => e.keyword === 'enum' && at(e, /\/kind$/) },
  { why: 'claircore writes cpe "" when there is none; the document requires a CPE pattern', matches: (e) => ['oneOf', 'pattern'].includes(e.keyword) && at(e, /\/cpe$/) },
  { why: 'claircore writes repository_ids null for a package without repositories; the document says array', matches: (e) => e.keyword === 'type' && at(e, /\/repository_ids$/) },
  { why: 'inside a vulnerability claircore leaves the empty repository id out; the document requires id', matches: (e) => e.keyword === 'required' && (e.params as { missingProperty?: string }).missingProperty === 'id' && at(e, /\/(repository|repo)$/) },
  { why: 'claircore leaves arch_op out unless set; the document makes package require it', matches: (e) => e.keyword === 'dependentRequired' && (e.params as { missingProperty?: string }).missingProperty === 'arch_op' },
  { why: 'RHEL repositories carry "repoid=<id>" as uri; the document says format uri', matches: (e) => e.keyword === 'format' && at(e, /\/uri$/) },
  {
    why: 'claircore (v1.5.52 on) writes a vulnerability\'s Self and Aliases, fields without JSON tags, under their Go names; the document allows no other properties',
    matches: (e) => e.keyword === 'unevaluatedProperties' && ['Self', 'Aliases'].includes(String((e.params as { unevaluatedProperty?: string }).unevaluatedProperty)),
  },
  {
    why: 'Clair\'s notifier writes its own summary shape (severity holds the normalized severity, the repository key is repo); the document describes a vulnerability_core',
    matches: (e) =>
      at(e, /^\/notifications\/\d+\/vulnerability(\/|$)/) &&
      (e.keyword === 'unevaluatedProperties' || (e.keyword === 'required' && (e.params as { missingProperty?: string }).missingProperty === 'normalized_severity')),
  },
];

type Doc = { components: { schemas: Record<string, unknown> } };

function compiler(doc: Doc, id: string): (kind: BodyKind) => ValidateFunction {
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
  addFormats(ajv);
  ajv.addSchema({ ...doc, $id: id });
  const cache = new Map<BodyKind, ValidateFunction>();
  return (kind) => {
    let fn = cache.get(kind);
    if (!fn) {
      if (!doc.components.schemas[kind]) throw new Error(`${id}: no component schema ${kind}`);
      fn = ajv.compile({ $ref: `${id}#/components/schemas/${kind}` });
      cache.set(kind, fn);
    }
    return fn;
  };
}

const describe = (e: ErrorObject): string => `${e.instancePath || '/'} ${e.message ?? e.keyword} ${JSON.stringify(e.params)}`;

let ours: ((kind: BodyKind) => ValidateFunction) | undefined;
let upstream: ((kind: BodyKind) => ValidateFunction) | undefined;

/** Every error of `body` against the project's document; empty when valid. */
export function ourDocumentErrors(kind: BodyKind, body: unknown): string[] {
  ours ??= compiler(parse(readFileSync(OPENAPI_FILE, 'utf8')) as Doc, 'ours');
  const validate = ours(kind);
  return validate(body) ? [] : (validate.errors ?? []).map(describe);
}

/** Whether Clair's published document is available (it lives in ../shared). */
export const upstreamDocumentAvailable = (): boolean => existsSync(UPSTREAM_OPENAPI);

/**
 * Errors of `body` against Clair's published document that no
 * {@link UPSTREAM_DOCUMENT_BUGS} entry excuses; empty when valid. Errors of
 * combinators (`anyOf`, `oneOf`, `if`) are judged by their branches.
 */
export function upstreamDocumentErrors(kind: BodyKind, body: unknown): string[] {
  upstream ??= compiler(parse(readFileSync(UPSTREAM_OPENAPI, 'utf8')) as Doc, 'upstream');
  const validate = upstream(kind);
  if (validate(body)) return [];
  const errors = validate.errors ?? [];
  const excused = (e: ErrorObject) => UPSTREAM_DOCUMENT_BUGS.some((b) => b.matches(e));
  // A oneOf/anyOf failure is only real if some branch failed for a reason
  // that is not excused.
  const real = errors.filter((e) => !excused(e));
  const combinators = new Set(['anyOf', 'oneOf']);
  const branchFailures = (e: ErrorObject) => errors.filter((x) => x !== e && x.instancePath.startsWith(e.instancePath) && x.schemaPath.startsWith(e.schemaPath.replace(/\/(anyOf|oneOf)$/, '')));
  return real.filter((e) => !combinators.has(e.keyword) || branchFailures(e).some((x) => !excused(x) && !combinators.has(x.keyword))).map(describe);
}
