/**
 * @module The shape of Clair's configuration document, declared once. The
 * same tree drives strict decoding (unknown keys, types, durations, enums:
 * the errors Go's `json.Decoder` with `DisallowUnknownFields` reports upstream)
 * and the omitempty-style normalisation of the merged document that
 * `clairctl check-config` prints.
 */
import { LOG_LEVELS } from './types.js';
import { parseDuration } from './duration.js';

/** A key whose value is a JSON object of known fields. */
export interface ObjectNode {
  kind: 'object';
  fields: Readonly<Record<string, SchemaNode>>;
  /**
   * Go pointer semantics: presence alone means something (`webhook: {}`
   * configures a webhook, `psk: {}` turns auth on), so an empty object is
   * kept by {@link normalizeDocument}. Plain structs (`matchers: {}`) are
   * dropped when empty, as they mean the same as absent.
   */
  presence?: boolean;
}

export interface EnumNode {
  kind: 'enum';
  values: readonly string[];
  /** Accept any letter case and store the canonical spelling. */
  caseInsensitive?: boolean;
}

export interface LeafNode {
  kind:
    | 'string'
    | 'boolean'
    | 'integer'
    | 'number'
    /** A Go duration string; decoded to milliseconds. */
    | 'duration'
    /** A list of strings. */
    | 'strings'
    /** `http.Header`: header name → list of values. */
    | 'headers'
    /** A free-form JSON object, passed through unchecked. */
    | 'freeform'
    /** Any value; only its presence matters (e.g. the removed `auth.keyserver`). */
    | 'any';
  /** Never echo the value in an error message. */
  secret?: boolean;
}

export type SchemaNode = ObjectNode | EnumNode | LeafNode;

const str: LeafNode = { kind: 'string' };
const secretStr: LeafNode = { kind: 'string', secret: true };
const bool: LeafNode = { kind: 'boolean' };
const int: LeafNode = { kind: 'integer' };
const dur: LeafNode = { kind: 'duration' };
const strings: LeafNode = { kind: 'strings' };
const freeform: LeafNode = { kind: 'freeform' };

const tlsClient: ObjectNode = { kind: 'object', presence: true, fields: { cert: str, key: str, root_ca: str } };

/** Trace provider names (`trace.name`). */
export const TRACE_NAMES = ['', 'otlp', 'sentry', 'jaeger', 'stdout'] as const;
/** Metrics provider names (`metrics.name`). */
export const METRICS_NAMES = ['', 'prometheus', 'otlp', 'stdout'] as const;

/** The whole configuration document. Field order is the order problems are reported in. */
export const CONFIG_SCHEMA: ObjectNode = {
  kind: 'object',
  fields: {
    http_listen_addr: str,
    introspection_addr: str,
    log_level: { kind: 'enum', values: LOG_LEVELS, caseInsensitive: true },
    data_dir: str,
    tls: tlsClient,
    indexer: {
      kind: 'object',
      fields: {
        connstring: secretStr,
        scanlock_retry: int,
        layer_scan_concurrency: int,
        index_report_request_concurrency: int,
        migrations: bool,
        airgap: bool,
        spool_dir: str,
        // Deprecated spellings of limits.spool_bytes and limits.layer_bytes.
        spool_max_bytes: int,
        max_layer_bytes: int,
        limits: {
          kind: 'object',
          fields: {
            manifest_layers: int,
            layer_bytes: int,
            layer_entries: int,
            path_depth: int,
            compression_ratio: int,
            spool_bytes: int,
            index_timeout: dur,
            affected_manifest_vulnerabilities: int,
          },
        },
        layer_fetch: {
          kind: 'object',
          fields: { connect_timeout: dur, response_timeout: dur, min_bytes_per_second: int, attempts: int, allow: strings, deny: strings },
        },
        scanner: { kind: 'object', fields: { package: freeform, dist: freeform, repo: freeform } },
      },
    },
    matcher: {
      kind: 'object',
      fields: {
        connstring: secretStr,
        indexer_addr: str,
        migrations: bool,
        period: dur,
        disable_updaters: bool,
        disable_enrichment: bool,
        update_retention: int,
        cache_age: dur,
        max_conn_pool: int,
      },
    },
    matchers: { kind: 'object', fields: { names: strings, config: freeform } },
    updaters: { kind: 'object', fields: { sets: strings, config: freeform, filter: str } },
    notifier: {
      kind: 'object',
      fields: {
        connstring: secretStr,
        migrations: bool,
        indexer_addr: str,
        matcher_addr: str,
        poll_interval: dur,
        delivery_interval: dur,
        disable_summary: bool,
        retention: dur,
        webhook: {
          kind: 'object',
          presence: true,
          fields: { target: str, callback: str, headers: { kind: 'headers' }, signed: bool, signature_key: secretStr, attempts: int, backoff: dur, timeout: dur },
        },
        amqp: {
          kind: 'object',
          presence: true,
          fields: {
            exchange: {
              kind: 'object',
              fields: { name: str, type: str, durability: bool, auto_delete: bool },
            },
            routing_key: str,
            callback: str,
            uris: { kind: 'strings', secret: true },
            direct: bool,
            rollup: int,
            tls: tlsClient,
          },
        },
        stomp: {
          kind: 'object',
          presence: true,
          fields: {
            destination: str,
            callback: str,
            uris: { kind: 'strings', secret: true },
            direct: bool,
            rollup: int,
            tls: tlsClient,
            user: { kind: 'object', presence: true, fields: { login: str, passcode: secretStr } },
          },
        },
      },
    },
    auth: {
      kind: 'object',
      fields: {
        psk: { kind: 'object', presence: true, fields: { key: secretStr, iss: strings } },
        keyserver: { kind: 'any' },
      },
    },
    trace: {
      kind: 'object',
      fields: {
        name: { kind: 'enum', values: TRACE_NAMES },
        probability: { kind: 'number' },
        jaeger: freeform,
        otlp: freeform,
        sentry: freeform,
      },
    },
    metrics: {
      kind: 'object',
      fields: {
        name: { kind: 'enum', values: METRICS_NAMES },
        prometheus: { kind: 'object', fields: { endpoint: str } },
        otlp: freeform,
      },
    },
  },
};

// ---------------------------------------------------------------------------
// Paths and problems

export type PathSegment = string | number;

/** Formats a key path as `indexer.scanner.package`, `updaters.sets[2]`, `notifier.webhook.headers["X Y"]`. */
export function formatPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z0-9_-]+$/.test(seg)) out += out === '' ? seg : `.${seg}`;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

/** Collects validation problems, one line each, keyed by path so later checks can skip broken keys. */
export class Problems {
  readonly #lines: string[] = [];
  readonly #paths = new Set<string>();

  /** Records a problem at `path` (dotted); an empty path means the document itself. */
  add(path: string, message: string): void {
    this.#paths.add(path);
    this.#lines.push(path === '' ? message : `${path}: ${message}`);
  }

  /** Records a problem that is already a full sentence (e.g. the top-level unknown key). */
  addLine(path: string, line: string): void {
    this.#paths.add(path);
    this.#lines.push(line);
  }

  /** True when a problem was recorded at `path` or below it. */
  has(path: string): boolean {
    for (const p of this.#paths) if (p === path || p.startsWith(`${path}.`) || p.startsWith(`${path}[`)) return true;
    return false;
  }

  get lines(): readonly string[] {
    return this.#lines;
  }
}

// ---------------------------------------------------------------------------
// Helpers

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Sets an own enumerable property, even for `__proto__`. */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Describes a value for a type error, without echoing secrets. */
function describe(value: unknown, secret: boolean): string {
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return secret ? 'a string' : `string ${JSON.stringify(value)}`;
    case 'number':
      return secret ? 'a number' : `number ${value}`;
    case 'boolean':
      return secret ? 'a boolean' : `boolean ${value}`;
    case 'object':
      return 'an object';
    default:
      return typeof value;
  }
}

/** Levenshtein distance, for "did you mean" hints on unknown keys. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j] ?? 0;
      row[j] = Math.min(cur + 1, (row[j - 1] ?? 0) + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length] ?? 0;
}

function suggestion(key: string, known: readonly string[]): string {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const k of known) {
    const d = distance(key.toLowerCase(), k);
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  return best !== undefined && bestDistance <= Math.max(1, Math.floor(best.length / 4)) + 1
    ? ` (did you mean ${JSON.stringify(best)}?)`
    : '';
}

// ---------------------------------------------------------------------------
// Decoding

/**
 * Strictly decodes `value` against `node`, recording every problem. Returns
 * the decoded value (nulls on known keys dropped, durations in milliseconds,
 * enums canonical), or `undefined` when the value is absent or wrong.
 */
export function decodeNode(node: SchemaNode, value: unknown, path: PathSegment[], problems: Problems): unknown {
  const where = formatPath(path);
  const secret = node.kind !== 'object' && node.kind !== 'enum' && node.secret === true;
  const wrong = (expected: string, v: unknown = value): undefined => {
    problems.add(where, `expected ${expected}, got ${describe(v, secret)}`);
    return undefined;
  };
  switch (node.kind) {
    case 'object': {
      if (!isPlainObject(value)) return wrong('an object');
      const out: Record<string, unknown> = {};
      const known = Object.keys(node.fields);
      for (const [key, v] of Object.entries(value)) {
        const child = Object.hasOwn(node.fields, key) ? node.fields[key] : undefined;
        if (child === undefined) {
          const hint = suggestion(key, known);
          if (path.length === 0) problems.addLine(key, `unknown key ${JSON.stringify(key)} at top level${hint}`);
          else problems.add(formatPath([...path, key]), `unknown key${hint}`);
          continue;
        }
        if (v === null) continue; // null means absent, as when Go decodes into a struct field
        const decoded = decodeNode(child, v, [...path, key], problems);
        if (decoded !== undefined) setOwn(out, key, decoded);
      }
      return out;
    }
    case 'enum': {
      if (typeof value !== 'string') return wrong('a string');
      const found = node.values.find((v) => (node.caseInsensitive === true ? v === value.toLowerCase() : v === value));
      if (found === undefined) {
        const allowed = node.values.map((v) => JSON.stringify(v)).join(', ');
        problems.add(where, `invalid value ${JSON.stringify(value)}: must be one of ${allowed}`);
        return undefined;
      }
      return found;
    }
    case 'string':
      return typeof value === 'string' ? value : wrong('a string');
    case 'boolean':
      return typeof value === 'boolean' ? value : wrong('a boolean');
    case 'integer':
      return typeof value === 'number' && Number.isSafeInteger(value) ? value : wrong('an integer');
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? value : wrong('a number');
    case 'duration': {
      if (typeof value !== 'string') return wrong('a duration string such as "6h" or "1h30m"');
      try {
        return parseDuration(value);
      } catch (err) {
        problems.add(where, err instanceof Error ? err.message : String(err));
        return undefined;
      }
    }
    case 'strings': {
      if (!Array.isArray(value)) return wrong('a list of strings');
      const out: string[] = [];
      value.forEach((item: unknown, i) => {
        if (typeof item === 'string') out.push(item);
        else problems.add(formatPath([...path, i]), `expected a string, got ${describe(item, secret)}`);
      });
      return out;
    }
    case 'headers': {
      if (!isPlainObject(value)) return wrong('an object of header name to list of values');
      const out: Record<string, string[]> = {};
      for (const [name, values] of Object.entries(value)) {
        const isAuth = /^(proxy-)?authorization$/i.test(name);
        const p = [...path, name];
        if (!Array.isArray(values)) {
          problems.add(formatPath(p), `expected a list of strings, got ${describe(values, isAuth)}`);
          continue;
        }
        const list: string[] = [];
        values.forEach((item: unknown, i) => {
          if (typeof item === 'string') list.push(item);
          else problems.add(formatPath([...p, i]), `expected a string, got ${describe(item, isAuth)}`);
        });
        setOwn(out, name, list);
      }
      return out;
    }
    case 'freeform':
      // Cloned so the validated config never aliases the caller's document.
      return isPlainObject(value) ? structuredClone(value) : wrong('an object');
    case 'any':
      return value;
  }
}

// ---------------------------------------------------------------------------
// Normalisation (for printing the merged document)

/**
 * Drops what Go's decode-then-marshal round trip would not reproduce: `null`
 * on known keys (absent), and known plain-struct objects that are empty
 * (`matchers: {}`). Objects with presence semantics (`webhook`, `psk`, `tls`,
 * …), unknown keys, and free-form blocks are kept verbatim; empty lists are
 * kept because `[]` means "none" where `null` means "the defaults".
 */
export function normalizeDocument(doc: Record<string, unknown>): Record<string, unknown> {
  return normalizeObject(CONFIG_SCHEMA, doc);
}

function normalizeObject(node: ObjectNode, value: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    const child = Object.hasOwn(node.fields, key) ? node.fields[key] : undefined;
    if (child === undefined) {
      setOwn(out, key, v);
      continue;
    }
    if (v === null) continue;
    if (child.kind === 'object' && isPlainObject(v)) {
      const inner = normalizeObject(child, v);
      if (Object.keys(inner).length === 0 && child.presence !== true) continue;
      setOwn(out, key, inner);
      continue;
    }
    setOwn(out, key, v);
  }
  return out;
}
