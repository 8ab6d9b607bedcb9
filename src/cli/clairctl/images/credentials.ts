/**
 * @module Registry credentials, found as go-containerregistry's default
 * keychain (which Clair's clairctl uses) finds them, so `docker login` and
 * `podman login` work unchanged:
 *
 * 1. One auth file is read: Docker's `$DOCKER_CONFIG/config.json` (or
 *    `~/.docker/config.json` without `DOCKER_CONFIG`) when it exists, else
 *    `$REGISTRY_AUTH_FILE`, else `$XDG_RUNTIME_DIR/containers/auth.json`.
 *    Without any, access is anonymous.
 * 2. A credential helper named for the registry in `credHelpers`, else the
 *    `credsStore`, is run as `docker-credential-<name> get` with the server
 *    on stdin; it answers `{"Username", "Secret"}` (a Username of
 *    `<token>` makes the Secret an identity token). "credentials not found"
 *    means anonymous.
 * 3. Otherwise the `auths` entry: `auth` (base64 `user:password`),
 *    `username`/`password`, `identitytoken` or `registrytoken`.
 *
 * Docker Hub's key is `https://index.docker.io/v1/`; keys are compared by
 * host, so `https://quay.io/v2/` names `quay.io`. Secrets are never logged
 * and never put in an error message.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { clairError } from '../../../lib/errors.js';
import { isObject, type JsonObject } from './documents.js';
import { DOCKER_HUB } from './reference.js';

export interface RegistryCredentials {
  username?: string | undefined;
  password?: string | undefined;
  /** An OAuth2 refresh token (`docker login` against some registries). */
  identityToken?: string | undefined;
  /** A bearer token to send as it is. */
  registryToken?: string | undefined;
  /** Where they came from (a file or a helper), for messages. */
  source: string;
}

const DOCKER_HUB_KEY = 'https://index.docker.io/v1/';
const DOCKER_HUB_NAMES = new Set(['index.docker.io', 'docker.io', 'registry-1.docker.io', 'registry.hub.docker.com']);
/** A helper that has not answered in this long is given up on. */
const HELPER_TIMEOUT_MS = 60_000; // 1 minute: a helper may prompt an OS keychain

/** The auth file go-containerregistry would read, or `undefined` when there is none. */
export function authFilePath(env: NodeJS.ProcessEnv): string | undefined {
  const dockerDir = env.DOCKER_CONFIG !== undefined && env.DOCKER_CONFIG !== '' ? env.DOCKER_CONFIG : join(env.HOME ?? homedir(), '.docker');
  const candidates = [join(dockerDir, 'config.json'), env.REGISTRY_AUTH_FILE, env.XDG_RUNTIME_DIR ? join(env.XDG_RUNTIME_DIR, 'containers', 'auth.json') : undefined];
  return candidates.find((file): file is string => file !== undefined && file !== '' && existsSync(file));
}

/** Credentials for a registry host (`index.docker.io` for Docker Hub), or `undefined` for anonymous access. */
export async function resolveCredentials(registry: string, env: NodeJS.ProcessEnv = process.env, signal?: AbortSignal): Promise<RegistryCredentials | undefined> {
  const file = authFilePath(env);
  if (file === undefined) return undefined;
  const config = await readAuthFile(file);
  const host = hostKey(registry);
  const helpers = isObject(config.credHelpers) ? config.credHelpers : {};
  const helperKey = Object.keys(helpers).find((key) => hostKey(key) === host);
  const helper = helperKey !== undefined ? helpers[helperKey] : config.credsStore;
  if (typeof helper === 'string' && helper !== '') return runHelper(helper, registry === DOCKER_HUB ? DOCKER_HUB_KEY : registry, env, signal);
  const auths = isObject(config.auths) ? config.auths : {};
  const authKey = Object.keys(auths).find((key) => hostKey(key) === host);
  const entry = authKey !== undefined ? auths[authKey] : undefined;
  return isObject(entry) ? fromAuthEntry(entry, authKey!, file) : undefined;
}

/** A key's host: scheme and path dropped, Docker Hub's names made one. */
function hostKey(key: string): string {
  const host = key.replace(/^[a-z]+:\/\//i, '').split('/')[0]!.toLowerCase();
  return DOCKER_HUB_NAMES.has(host) ? DOCKER_HUB : host;
}

async function readAuthFile(file: string): Promise<JsonObject> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw clairError('IMAGE_CREDENTIALS', `cannot read registry auth file ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, { cause: err });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // JSON.parse's message can quote the file's content, which holds secrets.
    throw clairError('IMAGE_CREDENTIALS', `registry auth file ${file} is not valid JSON`);
  }
  if (!isObject(value)) throw clairError('IMAGE_CREDENTIALS', `registry auth file ${file} is not a JSON object`);
  return value;
}

function fromAuthEntry(entry: JsonObject, key: string, file: string): RegistryCredentials | undefined {
  const source = `${file} (auths[${JSON.stringify(key)}])`;
  const text = (name: string) => (typeof entry[name] === 'string' && entry[name] !== '' ? (entry[name] as string) : undefined);
  let username = text('username');
  let password = text('password');
  const auth = text('auth');
  if (auth !== undefined) {
    const decoded = Buffer.from(auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) throw clairError('IMAGE_CREDENTIALS', `the "auth" of ${source} is not base64 of user:password`);
    username = decoded.slice(0, colon);
    password = decoded.slice(colon + 1);
  }
  const identityToken = text('identitytoken');
  const registryToken = text('registrytoken');
  if (username === undefined && password === undefined && identityToken === undefined && registryToken === undefined) return undefined;
  return { username, password, identityToken, registryToken, source };
}

function runHelper(helper: string, server: string, env: NodeJS.ProcessEnv, signal?: AbortSignal): Promise<RegistryCredentials | undefined> {
  const program = `docker-credential-${helper}`;
  return new Promise((resolve, reject) => {
    let child: ReturnType<typeof execFile>;
    try {
      child = execFile(program, ['get'], { env, timeout: HELPER_TIMEOUT_MS, maxBuffer: 1024 * 1024, signal }, (err, stdout) => {
        if (err !== null) {
          const failure = err as NodeJS.ErrnoException & { killed?: boolean; code?: string | number };
          if (failure.name === 'AbortError') return reject(err);
          if (/credentials not found/i.test(stdout)) return resolve(undefined);
          if (failure.code === 'ENOENT') return reject(clairError('IMAGE_CREDENTIALS', `credential helper ${program} is not on PATH`));
          const how = failure.killed ? `did not answer within ${HELPER_TIMEOUT_MS / 1000}s` : `failed (exit status ${String(failure.code)})`;
          return reject(clairError('IMAGE_CREDENTIALS', `credential helper ${program} ${how} for ${server}`));
        }
        let answer: unknown;
        try {
          answer = JSON.parse(stdout);
        } catch {
          return reject(clairError('IMAGE_CREDENTIALS', `credential helper ${program} answered something other than JSON for ${server}`));
        }
        if (!isObject(answer) || typeof answer.Secret !== 'string') {
          return reject(clairError('IMAGE_CREDENTIALS', `credential helper ${program} answered without a "Secret" for ${server}`));
        }
        const username = typeof answer.Username === 'string' ? answer.Username : '';
        const source = `credential helper ${program}`;
        if (answer.Secret === '' && username === '') return resolve(undefined);
        resolve(username === '<token>' ? { identityToken: answer.Secret, source } : { username, password: answer.Secret, source });
      });
    } catch (err) {
      // A name the system cannot run at all (a NUL byte, too long) is refused before any process starts.
      const why = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
      return reject(clairError('IMAGE_CREDENTIALS', `credential helper ${JSON.stringify(program)} cannot be run (${why})`, { cause: err }));
    }
    child.stdin?.on('error', () => {}); // A helper that exits without reading stdin is reported by its exit status.
    child.stdin?.end(server);
  });
}
