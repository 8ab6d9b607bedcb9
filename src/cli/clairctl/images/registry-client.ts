/**
 * @module A registry v2 client for one repository, on undici, as much of one
 * as clairctl needs: find the scheme, authenticate, and GET manifests and
 * blobs.
 *
 * Connecting pings `/v2/`: over HTTPS, and then over plain HTTP for
 * registries go-containerregistry treats as local (see `registryScheme`) or
 * when `insecure` is set (which also skips certificate verification). A 401
 * answer's challenge decides the authentication:
 *
 * - `Bearer realm=…,service=…[,scope=…]`: a token is fetched from the realm
 *   for `repository:<repo>:pull` (plus the challenge's scope) with GET and
 *   Basic credentials when known, or an OAuth2 refresh-token POST for an
 *   identity token (falling back to GET when the service has no OAuth2),
 *   and read from `token` or `access_token`;
 * - `Basic`: the user name and password are sent with every request.
 *
 * A request answered 401 later (a token that expired, or too narrow a
 * scope) re-authenticates once from its challenge and is retried; a second
 * refusal, or a 403, is an "unauthorized" error. Redirects are followed by
 * hand, sending `Authorization` only to the registry's own origin, as
 * go-containerregistry does, so a CDN never sees it.
 */
import { Agent, request, type Dispatcher } from 'undici';
import { clairError, isClairError } from '../../../lib/errors.js';
import type { Logger } from '../../../lib/logger.js';
import { CLAIR_VERSION } from '../../../lib/version.js';
import { parseChallenges, type Challenge } from './challenge.js';
import { resolveCredentials, type RegistryCredentials } from './credentials.js';
import { isObject } from './documents.js';
import { registryScheme } from './reference.js';

export interface RegistryClientOptions {
  insecure: boolean;
  env: NodeJS.ProcessEnv;
  signal?: AbortSignal | undefined;
  log?: Logger | undefined;
}

export interface RegistryResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Dispatcher.ResponseData['body'];
  /** The URL that answered, after redirects. */
  url: URL;
  /** The `Authorization` value sent to that URL, if any. */
  authorization?: string | undefined;
}

const USER_AGENT = `clairctl/${CLAIR_VERSION}`;
const MAX_REDIRECTS = 10;
/** Token responses above this are refused: real ones are a few kilobytes. */
const MAX_TOKEN_BYTES = 1024 * 1024; // 1 MiB
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

export class RegistryClient {
  readonly registry: string;
  readonly repository: string;
  readonly #options: RegistryClientOptions;
  readonly #agent: Agent;
  #origin = '';
  #authorization: string | undefined;
  #credentials: Promise<RegistryCredentials | undefined> | undefined;

  private constructor(registry: string, repository: string, options: RegistryClientOptions) {
    this.registry = registry;
    this.repository = repository;
    this.#options = options;
    this.#agent = new Agent({
      connect: { rejectUnauthorized: !options.insecure, timeout: 30_000 },
      headersTimeout: 60_000, // 1 minute for a registry to start answering
      bodyTimeout: 60_000, // 1 minute without a body byte
    });
  }

  /** Pings the registry and authenticates for pulling from `repository`. */
  static async connect(registry: string, repository: string, options: RegistryClientOptions): Promise<RegistryClient> {
    const client = new RegistryClient(registry, repository, options);
    try {
      await client.#ping();
    } catch (err) {
      await client.close();
      throw err;
    }
    return client;
  }

  /** `scheme://host` the registry answered on. */
  get origin(): string {
    return this.#origin;
  }

  /** GETs a path of the registry, authenticating again once if a 401 asks for it. The caller consumes the body. */
  async get(path: string, headers: Record<string, string> = {}): Promise<RegistryResponse> {
    const url = new URL(path, this.#origin);
    let response = await this.#send(url, headers);
    const challenge = header(response.headers, 'www-authenticate');
    if (response.status === 401 && challenge !== undefined) {
      await response.body.dump();
      await this.#authorize(parseChallenges(challenge));
      response = await this.#send(url, headers);
    }
    if (response.status === 401 || response.status === 403) {
      await response.body.dump();
      const credentials = await this.#credentials;
      throw clairError(
        'IMAGE_UNAUTHORIZED',
        `unauthorized: registry ${this.registry} refused access to ${this.repository} (status ${response.status}) ` +
          (credentials ? `with the credentials from ${credentials.source}` : 'without credentials; the repository may not exist, or may need a login'),
      );
    }
    return response;
  }

  async close(): Promise<void> {
    await this.#agent.close();
  }

  async #ping(): Promise<void> {
    const schemes = registryScheme(this.registry, this.#options.insecure) === 'http' ? ['https', 'http'] : ['https'];
    let lastError: unknown;
    for (const scheme of schemes) {
      const url = new URL(`${scheme}://${this.registry}/v2/`);
      let response: RegistryResponse;
      try {
        response = await this.#send(url, {});
      } catch (err) {
        if (!isClairError(err, 'IMAGE_REGISTRY')) throw err;
        lastError = err;
        this.#options.log?.debug({ registry: this.registry, scheme }, 'registry ping failed');
        continue;
      }
      await response.body.dump();
      this.#origin = `${scheme}://${this.registry}`;
      this.#options.log?.debug({ registry: this.registry, origin: this.#origin, status: response.status }, 'registry ping');
      if (response.status === 200) return;
      const challenge = header(response.headers, 'www-authenticate');
      if (response.status === 401 && challenge !== undefined) return this.#authorize(parseChallenges(challenge));
      throw clairError('IMAGE_REGISTRY', `registry ${this.registry} answered GET /v2/ with status ${response.status}; is it a container registry?`);
    }
    throw lastError;
  }

  async #authorize(challenges: Challenge[]): Promise<void> {
    const bearer = challenges.find((c) => c.scheme === 'bearer');
    const basic = challenges.find((c) => c.scheme === 'basic');
    if (bearer === undefined && basic === undefined) {
      throw clairError('IMAGE_REGISTRY', `registry ${this.registry} asks for an authentication scheme clairctl does not speak (${challenges.map((c) => c.scheme).join(', ') || 'none'})`);
    }
    this.#credentials ??= resolveCredentials(this.registry, this.#options.env, this.#options.signal);
    const credentials = await this.#credentials;
    if (bearer !== undefined) {
      this.#authorization = `Bearer ${await this.#token(bearer, credentials)}`;
      return;
    }
    if (credentials?.username === undefined || credentials.password === undefined) {
      throw clairError('IMAGE_UNAUTHORIZED', `unauthorized: registry ${this.registry} wants a user name and password, and none were found for it (docker login ${this.registry})`);
    }
    this.#authorization = basicAuthorization(credentials.username, credentials.password);
  }

  async #token(challenge: Challenge, credentials: RegistryCredentials | undefined): Promise<string> {
    if (credentials?.registryToken !== undefined) return credentials.registryToken;
    let realm: URL;
    try {
      realm = new URL(challenge.params.realm ?? '');
      if (realm.protocol !== 'https:' && realm.protocol !== 'http:') throw new Error('not http');
    } catch {
      throw clairError('IMAGE_REGISTRY', `registry ${this.registry} sent a Bearer challenge without a usable realm URL`);
    }
    const scopes = [...new Set([`repository:${this.repository}:pull`, challenge.params.scope].filter((s): s is string => s !== undefined && s !== ''))];
    const service = challenge.params.service;
    let response: RegistryResponse | undefined;
    if (credentials?.identityToken !== undefined) {
      const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: credentials.identityToken, client_id: 'clairctl', scope: scopes.join(' ') });
      if (service !== undefined) form.set('service', service);
      response = await this.#send(realm, { 'content-type': 'application/x-www-form-urlencoded' }, { method: 'POST', body: form.toString(), authorize: false });
      if (response.status === 404 || response.status === 405) {
        await response.body.dump();
        response = undefined; // No OAuth2 here: the GET below is what every token service answers.
      }
    }
    if (response === undefined) {
      const url = new URL(realm);
      if (service !== undefined) url.searchParams.set('service', service);
      for (const scope of scopes) url.searchParams.append('scope', scope);
      const headers: Record<string, string> = {};
      if (credentials?.username !== undefined && credentials.password !== undefined) headers.authorization = basicAuthorization(credentials.username, credentials.password);
      response = await this.#send(url, headers, { authorize: false });
    }
    const text = await readText(response.body, MAX_TOKEN_BYTES, `token from ${realm.host}`);
    if (response.status === 401 || response.status === 403) {
      throw clairError(
        'IMAGE_UNAUTHORIZED',
        `unauthorized: the token service ${realm.host} of registry ${this.registry} refused ${credentials ? `the credentials from ${credentials.source}` : 'anonymous access'} (status ${response.status})`,
      );
    }
    if (response.status !== 200) throw clairError('IMAGE_REGISTRY', `the token service ${realm.host} of registry ${this.registry} answered status ${response.status}`);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw clairError('IMAGE_REGISTRY', `the token service ${realm.host} of registry ${this.registry} answered something other than JSON`);
    }
    const token = isObject(body) ? (nonEmpty(body.token) ?? nonEmpty(body.access_token)) : undefined;
    if (token === undefined) throw clairError('IMAGE_REGISTRY', `the token service ${realm.host} of registry ${this.registry} answered without a token`);
    this.#options.log?.debug({ registry: this.registry, realm: realm.host, scopes }, 'registry token');
    return token;
  }

  /** One request, following redirects; `Authorization` goes only to the registry's origin. */
  async #send(
    url: URL,
    headers: Record<string, string>,
    init: { method?: 'GET' | 'POST'; body?: string; authorize?: boolean } = {},
  ): Promise<RegistryResponse> {
    let current = url;
    for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
      const authorization = init.authorize !== false && this.#authorization !== undefined && current.origin === this.#origin ? this.#authorization : undefined;
      let response: Dispatcher.ResponseData;
      try {
        response = await request(current, {
          method: init.method ?? 'GET',
          headers: { 'user-agent': USER_AGENT, ...headers, ...(authorization !== undefined ? { authorization } : {}) },
          dispatcher: this.#agent,
          maxRedirections: 0,
          ...(init.body !== undefined ? { body: init.body } : {}),
          ...(this.#options.signal !== undefined ? { signal: this.#options.signal } : {}),
        });
      } catch (err) {
        if (this.#options.signal?.aborted) throw this.#options.signal.reason ?? err;
        throw clairError('IMAGE_REGISTRY', `cannot reach ${current.host}${current.host === this.registry ? '' : ` (for registry ${this.registry})`}: ${networkReason(err)}`, { cause: err });
      }
      const location = header(response.headers, 'location');
      if (REDIRECTS.has(response.statusCode) && location !== undefined && (init.method ?? 'GET') === 'GET') {
        await response.body.dump();
        current = new URL(location, current);
        continue;
      }
      return { status: response.statusCode, headers: response.headers, body: response.body, url: current, authorization };
    }
    throw clairError('IMAGE_REGISTRY', `registry ${this.registry}: more than ${MAX_REDIRECTS} redirects from ${url.pathname}`);
  }
}

export function header(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

/** A response body as text, refusing more than `limit` bytes. */
export async function readText(body: Dispatcher.ResponseData['body'], limit: number, what: string): Promise<string> {
  return (await readBytes(body, limit, what)).toString('utf8');
}

export async function readBytes(body: Dispatcher.ResponseData['body'], limit: number, what: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of body) {
    total += (chunk as Buffer).length;
    if (total > limit) {
      body.destroy();
      throw clairError('IMAGE_INVALID', `the ${what} is larger than ${limit} bytes`);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function basicAuthorization(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
}

function nonEmpty(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** What went wrong on the wire, without any URL (which could carry a token). */
function networkReason(err: unknown): string {
  const e = err as { code?: unknown; message?: unknown; cause?: { code?: unknown; message?: unknown } };
  const code = typeof e.cause?.code === 'string' ? e.cause.code : typeof e.code === 'string' ? e.code : undefined;
  const hint = code !== undefined && /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/.test(code) ? ' (a private CA or self-signed certificate? try --insecure)' : '';
  return `${code ?? String(e.cause?.message ?? e.message ?? err)}${hint}`;
}
