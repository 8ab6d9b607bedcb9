/**
 * @module Registry references, parsed as go-containerregistry's
 * `name.ParseReference` (which Clair's clairctl uses) parses them:
 *
 * - `[registry/]repository[:tag][@digest]`; the tag defaults to `latest`,
 *   and a digest wins over a tag written next to it.
 * - The first path component is the registry only when it holds a `.` or a
 *   `:` (`quay.io/x`, `host:5000/x`); otherwise the whole name is a Docker
 *   Hub repository on `index.docker.io` (also what `docker.io` becomes), and
 *   a single-component Hub name gains `library/` (`alpine` →
 *   `index.docker.io/library/alpine`). One deliberate difference: a first
 *   component of exactly `localhost` is a registry too, as Docker reads it,
 *   rather than a Hub user called "localhost".
 * - Repository characters are `a-z 0-9 _ - . /` (2 to 255 of them), tags
 *   `A-Z a-z 0-9 _ - .` (1 to 128), digests `sha256:`/`sha512:` hex.
 *
 * {@link registryScheme} is go-containerregistry's `Registry.Scheme` rule.
 */
import { clairError } from '../../../lib/errors.js';
import { parseDigest, type Digest } from '../../../model/digest.js';

export const DOCKER_HUB = 'index.docker.io';
const DOCKER_HUB_ALIAS = 'docker.io';

export interface RegistryReference {
  /** `host[:port]`; Docker Hub is `index.docker.io`. */
  registry: string;
  /** The repository path within the registry (`library/alpine`). */
  repository: string;
  /** The tag, when the reference has no digest. */
  tag?: string | undefined;
  /** The manifest digest the reference pins. */
  digest?: Digest | undefined;
}

const REPOSITORY_CHARS = /^[a-z0-9_./-]+$/;
const TAG = /^[A-Za-z0-9_.-]{1,128}$/;

function invalid(text: string, why: string): Error {
  return clairError('IMAGE_REFERENCE', `${JSON.stringify(text)} is not an image reference: ${why}`);
}

/** Parses a registry reference, or explains which part is wrong. */
export function parseReference(text: string): RegistryReference {
  if (text === '') throw invalid(text, 'it is empty');
  let rest = text;
  let digest: Digest | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    const parsed = parseDigest(rest.slice(at + 1));
    if (!parsed.ok) throw invalid(text, parsed.reason);
    digest = parsed.digest;
    rest = rest.slice(0, at);
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon >= 0 && !rest.slice(colon + 1).includes('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (tag === '') throw invalid(text, 'there is no tag after the colon');
    if (!TAG.test(tag)) throw invalid(text, `tag ${JSON.stringify(tag)} may only hold letters, digits, "_", "-" and "." (at most 128)`);
  }
  let registry = DOCKER_HUB;
  let repository = rest;
  const slash = rest.indexOf('/');
  if (slash >= 0) {
    const first = rest.slice(0, slash);
    if (first.includes('.') || first.includes(':') || first === 'localhost') {
      registry = first === DOCKER_HUB_ALIAS ? DOCKER_HUB : first;
      repository = rest.slice(slash + 1);
      if (!validAuthority(first)) throw invalid(text, `registry ${JSON.stringify(first)} is not a host[:port]`);
    }
  }
  if (repository.length < 2 || repository.length > 255) throw invalid(text, `repository ${JSON.stringify(repository)} must be 2 to 255 characters long`);
  if (!REPOSITORY_CHARS.test(repository)) throw invalid(text, `repository ${JSON.stringify(repository)} may only hold lower-case letters, digits, "_", "-", "." and "/"`);
  if (repository.split('/').some((part) => part === '')) throw invalid(text, `repository ${JSON.stringify(repository)} has an empty path component`);
  if (registry === DOCKER_HUB && !repository.includes('/')) repository = `library/${repository}`;
  return digest !== undefined ? { registry, repository, digest } : { registry, repository, tag: tag ?? 'latest' };
}

/** `host[:port]` or `[ipv6][:port]`, as an RFC 3986 authority without userinfo. */
function validAuthority(authority: string): boolean {
  return /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/.test(authority);
}

/** What goes after `/manifests/`: the digest when there is one, else the tag. */
export function referenceIdentifier(ref: RegistryReference): string {
  return ref.digest ?? ref.tag ?? 'latest';
}

/** The canonical `registry/repository:tag` or `registry/repository@digest`. */
export function formatReference(ref: RegistryReference): string {
  return `${ref.registry}/${ref.repository}${ref.digest !== undefined ? `@${ref.digest}` : `:${ref.tag ?? 'latest'}`}`;
}

const RFC1918 = [/^10\./, /^172\.(1[6-9]|2\d|3[01])\./, /^192\.168\./];

/**
 * The scheme go-containerregistry uses for a registry: `http` when asked to
 * be insecure, for an RFC 1918 IPv4 address, for `localhost:<port>`, for
 * names ending `.local` or `.localhost` (with an optional port), and for any
 * name holding `127.0.0.1` or `::1`; `https` otherwise.
 */
export function registryScheme(registry: string, insecure: boolean): 'http' | 'https' {
  if (insecure) return 'http';
  const host = registry.split(':')[0]!;
  if (/^\d+\.\d+\.\d+\.\d+$/.test(host) && RFC1918.some((block) => block.test(host))) return 'http';
  if (registry.startsWith('localhost:')) return 'http';
  if (/\.local(?:host)?(?::\d{1,5})?$/.test(registry)) return 'http';
  if (registry.includes('127.0.0.1') || registry.includes('::1')) return 'http';
  return 'https';
}
