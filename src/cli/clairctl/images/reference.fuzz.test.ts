/** Fuzzing clairctl's image reference and `--platform` parsers from the forms go-containerregistry accepts. */
import { describe, it } from 'node:test';
import { fuzz } from '../../../test-support/fuzz.js';
import { formatPlatform, parsePlatform } from './platform.js';
import { formatReference, parseReference, referenceIdentifier, registryScheme } from './reference.js';

const DIGEST = `sha256:${'0123456789abcdef'.repeat(4)}`;
const SEEDS = [
  'alpine',
  'alpine:3.19',
  'docker.io/library/alpine',
  'quay.io/org/app:1.2.3',
  'localhost:5000/a/b/c:x',
  `quay.io/org/app:1.0@${DIGEST}`,
  `registry.example:5000/team/app@sha512:${'ab'.repeat(64)}`,
  '[::1]:5000/app:v',
  '192.168.1.10:5000/app',
].map((s) => Buffer.from(s));

describe('image reference: fuzz', () => {
  it('answers every mutated reference with a parsed reference or a clear error, never a crash or a hang', async () => {
    await fuzz({
      seeds: SEEDS,
      timeoutMs: 1_000,
      parse: (input) => {
        const ref = parseReference(input.toString('utf8'));
        // What clairctl does next with a parsed reference must not break either.
        return [formatReference(ref), referenceIdentifier(ref), registryScheme(ref.registry, false)];
      },
    });
  });

  it('answers every mutated --platform value with a platform or a clear error', async () => {
    await fuzz({
      seeds: ['linux/amd64', 'linux/arm64/v8', 'windows/amd64/10.0.17763'].map((s) => Buffer.from(s)),
      timeoutMs: 1_000,
      parse: (input) => formatPlatform(parsePlatform(input.toString('utf8'))),
    });
  });
});
