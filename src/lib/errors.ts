/**
 * @module The one error catalogue. Every error the project throws on purpose
 * is created here, with a stable code, so that the HTTP layer (and only the
 * HTTP layer) maps it to Clair's `{code, message}` body and status, and the
 * CLI (and only the CLI) maps it to an exit code.
 *
 * Codes are `CLAIR_ERR_<AREA>_<WHAT>`. A code, once released, is never reused
 * for a different meaning.
 */

/** The Clair API error codes (quay/clair httptransport/error.go). */
export type ApiErrorCode =
  | 'bad-request'
  | 'not-found'
  | 'method-not-allowed'
  | 'too-many-requests'
  | 'not-implemented'
  | 'internal-error';

export interface ClairErrorOptions {
  cause?: unknown;
}

const BRAND = Symbol.for('clair.error');

/** Base class of every catalogued error. */
export class ClairError extends Error {
  /** Stable internal code, `CLAIR_ERR_*`. */
  readonly code: string;
  /** HTTP status this error maps to when it reaches the API. */
  readonly httpStatus: number;
  readonly [BRAND] = true;

  constructor(code: string, message: string, httpStatus = 500, options: ClairErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ClairError';
    this.code = code;
    this.httpStatus = httpStatus;
  }

  /** Survives duplicate module copies, as undici's errors do. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
  }
}

interface ErrorSpec {
  code: string;
  status: number;
  /** Documentation of when this error is raised; kept in the catalogue test. */
  doc: string;
}

/**
 * Every error code with its HTTP status and meaning. `errors.test.ts` checks
 * that each one is documented in docs/errors.md and that no stale codes remain.
 */
export const ERROR_CATALOGUE = {
  CONFIG_INVALID: { code: 'CLAIR_ERR_CONFIG_INVALID', status: 500, doc: 'the configuration failed validation; the message names the key path' },
  CONFIG_UNREADABLE: { code: 'CLAIR_ERR_CONFIG_UNREADABLE', status: 500, doc: 'the configuration file or a drop-in could not be read or parsed' },
  CLI_USAGE: { code: 'CLAIR_ERR_CLI_USAGE', status: 500, doc: 'a command-line flag or environment variable is missing or wrong' },
  LISTEN: { code: 'CLAIR_ERR_LISTEN', status: 500, doc: 'the API or introspection server could not listen on its configured address (in use, or not allowed); the start fails' },
  STORE_CONNECT: { code: 'CLAIR_ERR_STORE_CONNECT', status: 503, doc: 'the database could not be reached or opened' },
  STORE_MIGRATION: { code: 'CLAIR_ERR_STORE_MIGRATION', status: 500, doc: 'a schema migration failed; the message names the migration' },
  STORE_UNAVAILABLE: { code: 'CLAIR_ERR_STORE_UNAVAILABLE', status: 503, doc: 'a database this node needs stopped answering (refused, reset, shut down or gone); the request can be retried once it is back' },
  STORE_LOCK_LOST: { code: 'CLAIR_ERR_STORE_LOCK_LOST', status: 503, doc: 'a cluster lock was lost with its database session while work was done under it; the work stopped and is retried' },
  STORE_NOT_MIGRATED: { code: 'CLAIR_ERR_STORE_NOT_MIGRATED', status: 503, doc: 'the database schema is older than this binary and migrations are off' },
  UPDATE_OPERATION_NOT_FOUND: { code: 'CLAIR_ERR_UPDATE_OPERATION_NOT_FOUND', status: 404, doc: 'an update operation named by a diff request does not exist (never made, or garbage-collected)' },
  UPDATE_DIFF_UPDATERS: { code: 'CLAIR_ERR_UPDATE_DIFF_UPDATERS', status: 400, doc: 'the two update operations of a diff request belong to different updaters' },
  NOTIFICATION_NOT_FOUND: { code: 'CLAIR_ERR_NOTIFICATION_NOT_FOUND', status: 404, doc: 'no receipt exists for the notification being acknowledged' },
  DELIVERY_FAILED: { code: 'CLAIR_ERR_DELIVERY_FAILED', status: 502, doc: 'a notification could not be delivered (webhook answered other than 2xx or not at all, broker refused or unreachable); the message names the target and the cause, and delivery is tried again on a later round' },
  HTTP_BAD_REQUEST: { code: 'CLAIR_ERR_HTTP_BAD_REQUEST', status: 400, doc: 'the request was malformed: a bad body, parameter or digest' },
  HTTP_NOT_FOUND: { code: 'CLAIR_ERR_HTTP_NOT_FOUND', status: 404, doc: 'the requested resource does not exist' },
  HTTP_NOT_IMPLEMENTED: { code: 'CLAIR_ERR_HTTP_NOT_IMPLEMENTED', status: 501, doc: 'the endpoint exists in Clair\'s API but is not built yet' },
  HTTP_TOO_MANY_REQUESTS: { code: 'CLAIR_ERR_HTTP_TOO_MANY_REQUESTS', status: 429, doc: 'the concurrency limit for this endpoint was reached' },
  HTTP_UNSUPPORTED_MEDIA_TYPE: { code: 'CLAIR_ERR_HTTP_UNSUPPORTED_MEDIA_TYPE', status: 415, doc: 'no acceptable response media type' },
  REMOTE_CALL: { code: 'CLAIR_ERR_REMOTE_CALL', status: 502, doc: 'a call to another Clair node failed or answered unexpectedly' },
  VERSION_INVALID: { code: 'CLAIR_ERR_VERSION_INVALID', status: 400, doc: 'a version string could not be parsed by its ecosystem\'s scheme' },
  LAYER_FETCH: { code: 'CLAIR_ERR_LAYER_FETCH', status: 502, doc: 'a layer blob could not be downloaded (network failure, or an HTTP status other than 200, named with the layer digest), or its description has no usable URI or digest' },
  LAYER_DIGEST_MISMATCH: { code: 'CLAIR_ERR_LAYER_DIGEST_MISMATCH', status: 502, doc: 'the downloaded layer blob does not hash to its declared digest; the message names the declared digest only, never what the content hashed to' },
  FETCH_DESTINATION_DENIED: { code: 'CLAIR_ERR_FETCH_DESTINATION_DENIED', status: 400, doc: 'an outbound request (a layer URI, or a redirect from one) would connect somewhere `indexer.layer_fetch` or `indexer.airgap` does not allow; the message names host and port, the same whether anything listens there or not' },
  INDEX_TOO_MANY_LAYERS: { code: 'CLAIR_ERR_INDEX_TOO_MANY_LAYERS', status: 400, doc: 'a manifest has more layers than `indexer.limits.manifest_layers`; refused before anything is fetched' },
  INDEX_TIMEOUT: { code: 'CLAIR_ERR_INDEX_TIMEOUT', status: 504, doc: 'indexing one manifest took longer than `indexer.limits.index_timeout`; its work was cancelled' },
  LAYER_FORMAT: { code: 'CLAIR_ERR_LAYER_FORMAT', status: 400, doc: 'a layer blob is not a readable tar: unsupported compression (bzip2), compression not matching its media type or Content-Type, corrupt or truncated data' },
  LAYER_TOO_LARGE: { code: 'CLAIR_ERR_LAYER_TOO_LARGE', status: 413, doc: 'a layer passes a per-layer cap of `indexer.limits` (uncompressed bytes, compression ratio, tar entries, path depth or length, bytes of names), refused while it streams in with the config key named in the message, or needs a larger zstd window than allowed' },
  LAYER_SPOOL_FULL: { code: 'CLAIR_ERR_LAYER_SPOOL_FULL', status: 507, doc: 'spooling a layer to disk would exceed the configured spool size cap' },
  LAYER_PATH_TRAVERSAL: { code: 'CLAIR_ERR_LAYER_PATH_TRAVERSAL', status: 400, doc: 'a layer tar entry (or hard link target) escapes the layer root with `..`; the message names the entry' },
  LAYER_CLOSED: { code: 'CLAIR_ERR_LAYER_CLOSED', status: 500, doc: 'a layer\'s files were read after the layer was closed' },
  RPM_DB_INVALID: { code: 'CLAIR_ERR_RPM_DB_INVALID', status: 500, doc: 'an rpm database (BerkeleyDB, SQLite or NDB) or a package header in a layer is malformed or truncated; the layer scan fails' },
  LAYER_FILE_UNREADABLE: { code: 'CLAIR_ERR_LAYER_FILE_UNREADABLE', status: 500, doc: 'a path in a layer is missing, is not a regular file, or loops through symlinks' },
  LAYER_FILE_TOO_LARGE: { code: 'CLAIR_ERR_LAYER_FILE_TOO_LARGE', status: 500, doc: 'a file in a layer is larger than the read limit its reader set' },
  SCANNER_FAILED: { code: 'CLAIR_ERR_SCANNER_FAILED', status: 500, doc: 'a scanner could not read a layer; the message names the scanner and the file' },
  RHEL_MAPPING_UNAVAILABLE: { code: 'CLAIR_ERR_RHEL_MAPPING_UNAVAILABLE', status: 502, doc: 'a Red Hat mapping file (repository-to-CPE or container-name-to-repositories) could not be fetched, read or decoded and no earlier copy is held; the layer scan fails' },
  UPDATER_FETCH: { code: 'CLAIR_ERR_UPDATER_FETCH', status: 502, doc: 'an updater could not download its feed: a network failure, a body cut short, an HTTP status other than 200/304 (the message names the URL and status), or a download whose checksum does not match its metadata' },
  UPDATER_PARSE: { code: 'CLAIR_ERR_UPDATER_PARSE', status: 502, doc: 'an updater\'s downloaded feed is malformed (invalid JSON or XML, missing required parts); the message names the updater and the problem' },
  IMAGE_REFERENCE: { code: 'CLAIR_ERR_IMAGE_REFERENCE', status: 400, doc: 'a clairctl IMAGE argument is neither a local image that exists nor a valid registry reference, or a `--platform` value is malformed; the message names the argument and the problem' },
  IMAGE_INVALID: { code: 'CLAIR_ERR_IMAGE_INVALID', status: 400, doc: 'a local image (Clair manifest file, docker-archive, OCI layout or archive) or a registry manifest is malformed: bad JSON, a missing or wrong field (named), a truncated or corrupt tar, or a layer the archive lacks or whose size disagrees' },
  IMAGE_NOT_FOUND: { code: 'CLAIR_ERR_IMAGE_NOT_FOUND', status: 404, doc: 'the registry has no manifest for the reference, or an archive or layout holds no image with the asked name, or none for the asked platform; the message lists what is there' },
  IMAGE_UNAUTHORIZED: { code: 'CLAIR_ERR_IMAGE_UNAUTHORIZED', status: 401, doc: 'the registry refused access to an image even after authenticating (401 or 403), or its token service refused the credentials; the message names the registry, never a secret' },
  IMAGE_REGISTRY: { code: 'CLAIR_ERR_IMAGE_REGISTRY', status: 502, doc: 'a registry or its token service could not be reached or answered unexpectedly; the message names the host and the status or network error' },
  IMAGE_CREDENTIALS: { code: 'CLAIR_ERR_IMAGE_CREDENTIALS', status: 500, doc: 'registry credentials could not be read: a Docker or Podman auth file is not valid JSON, or a `docker-credential-*` helper is missing or failed; the message names the file or helper, never a secret' },
  IMAGE_SERVE: { code: 'CLAIR_ERR_IMAGE_SERVE', status: 500, doc: 'clairctl could not serve local layers: the listen address is malformed or unavailable, the advertised URL is not an http(s) URL, or a local image\'s manifest was asked for without a layer server' },
  BUNDLE_FORMAT: { code: 'CLAIR_ERR_BUNDLE_FORMAT', status: 400, doc: 'an updater bundle (`clairctl import-updaters`) is malformed: a line that is not JSON, lacks a field or has one of the wrong type, operations whose lines are not consecutive, a truncated or corrupt gzip/zstd stream, or data whose compression contradicts `-g`/`-z`; the message names the line' },
  BUNDLE_INPUT: { code: 'CLAIR_ERR_BUNDLE_INPUT', status: 502, doc: 'an updater bundle could not be opened, read or written: no such file and not an http(s) URL, an HTTP status other than 200, a download that stalled or broke off, or an output file that cannot be created' },
  BUNDLE_EXPORT_INCOMPLETE: { code: 'CLAIR_ERR_BUNDLE_EXPORT_INCOMPLETE', status: 502, doc: '`clairctl export-updaters --strict`: one or more updaters or updater sets failed; the message names them, and the bundle holds every other updater\'s data' },
  REPORT_INVALID: { code: 'CLAIR_ERR_REPORT_INVALID', status: 502, doc: 'a vulnerability report clairctl received is malformed: a field of the wrong type, or a reference to a package or vulnerability the report does not hold; the message names the image and the field' },
  OUTPUT_WRITE: { code: 'CLAIR_ERR_OUTPUT_WRITE', status: 500, doc: 'clairctl could not write its output: the stream failed or was closed (a broken pipe), or a formatter was used after it was closed' },
} as const satisfies Record<string, ErrorSpec>;

export type ErrorName = keyof typeof ERROR_CATALOGUE;

/** Creates a catalogued error. */
export function clairError(name: ErrorName, message: string, options: ClairErrorOptions = {}): ClairError {
  const spec = ERROR_CATALOGUE[name];
  return new ClairError(spec.code, message, spec.status, options);
}

/** True when `err` is a catalogued error with the given name. */
export function isClairError(err: unknown, name?: ErrorName): err is ClairError {
  if (!(err instanceof ClairError)) return false;
  return name === undefined || err.code === ERROR_CATALOGUE[name].code;
}
