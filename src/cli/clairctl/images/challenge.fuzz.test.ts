/** Fuzzing the `WWW-Authenticate` parser from challenges real registries send. */
import { describe, it } from 'node:test';
import { fuzz } from '../../../test-support/fuzz.js';
import { parseChallenges } from './challenge.js';

const SEEDS = [
  'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/alpine:pull"',
  'Bearer realm="https://quay.io/v2/auth",service="quay.io",scope="repository:org/app:pull", error="invalid_token"',
  'Basic realm="Registry Realm", Bearer realm="https://r.example/token\\"q\\"",service=r.example',
].map((s) => Buffer.from(s));

describe('WWW-Authenticate challenges: fuzz', () => {
  it('answers every mutated header with challenges, never a crash or a hang', async () => {
    await fuzz({
      seeds: SEEDS,
      timeoutMs: 1_000,
      // Header values reach the parser as latin1 text without CR, LF or NUL.
      parse: (input) => parseChallenges(input.toString('latin1').replace(/[\r\n\0]/g, ' ')),
    });
  });
});
