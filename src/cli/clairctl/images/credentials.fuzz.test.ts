/**
 * Fuzzing the registry auth file reader (Docker's config.json, Podman's
 * auth.json): every mutated file must give credentials, anonymous access or
 * a clear IMAGE_CREDENTIALS error, never a crash or a hang. PATH points at an
 * empty directory, so no credential helper a mutation names can run.
 */
import { describe, it } from 'node:test';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { fuzz } from '../../../test-support/fuzz.js';
import { resolveCredentials } from './credentials.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');
const root = mkdtempSync(join(tmpdir(), 'clair-credentials-fuzz-'));
after(() => rmSync(root, { recursive: true, force: true }));
const noPrograms = join(root, 'empty-path');
mkdirSync(noPrograms);

const SEEDS = [
  // docker login, with a credential helper for one registry.
  {
    auths: {
      'https://index.docker.io/v1/': { auth: b64('hubuser:pa:ss') },
      'https://quay.io/v2/': { username: 'q', password: 'p\u00e9' },
      'ghcr.io': { identitytoken: 'refresh-me' },
      'reg.example:5000': { registrytoken: 'bearer-me' },
    },
    credHelpers: { 'gcr.io': 'gcloud' },
    HttpHeaders: { 'User-Agent': 'Docker-Client/24.0.7 (linux)' },
  },
  // podman login: auth.json holds only "auths".
  { auths: { 'quay.io': { auth: b64('robot+ci:TOKEN') }, 'localhost:5000': { auth: b64('u:') } } },
  // Docker Desktop: everything in the OS keychain.
  { auths: { 'https://index.docker.io/v1/': {} }, credsStore: 'desktop', currentContext: 'desktop-linux' },
].map((doc) => Buffer.from(JSON.stringify(doc, null, '\t')));
// An escaped character in a helper name, so mutations can reach names a system cannot run (a NUL byte).
SEEDS.push(Buffer.from('{"credHelpers": {"quay.io": "ecr-login\\u00e9"}, "credsStore": "secret\\u0073ervice"}'));

const REGISTRIES = ['index.docker.io', 'quay.io', 'reg.example:5000', 'localhost:5000', 'gcr.io'];

let counter = 0;

describe('registry auth files: fuzz', () => {
  it('answers every mutated auth file with credentials, anonymous access or a clear error', async () => {
    await fuzz({
      seeds: SEEDS,
      parse: async (input) => {
        const dir = join(root, `case-${++counter}`);
        mkdirSync(dir);
        // Docker's file and Podman's, by turns: the same reader serves both.
        const podman = counter % 2 === 0;
        const file = join(dir, podman ? 'auth.json' : 'config.json');
        writeFileSync(file, input);
        const env = podman ? { HOME: dir, DOCKER_CONFIG: join(dir, 'none'), REGISTRY_AUTH_FILE: file, PATH: noPrograms } : { HOME: dir, DOCKER_CONFIG: dir, PATH: noPrograms };
        for (const registry of REGISTRIES) {
          try {
            await resolveCredentials(registry, env);
          } catch (err) {
            // A helper that is not on PATH is a clear error; keep asking for the other registries.
            if (!(err instanceof Error) || !/credential helper .* is not on PATH/.test(err.message)) throw err;
          }
        }
      },
    });
  });
});
