/**
 * @module Platforms (`os/arch[/variant]`) and choosing one manifest of an
 * index by platform, as go-containerregistry does for clairctl: the OS and
 * architecture must be equal, and the variant too when one is asked for
 * (`linux/arm64` takes `linux/arm64/v8`); the first match wins. Clair's
 * clairctl always asks for `linux/amd64`; `--platform` changes that.
 */
import { clairError } from '../../../lib/errors.js';

export interface Platform {
  os: string;
  architecture: string;
  variant?: string | undefined;
}

export const DEFAULT_PLATFORM = 'linux/amd64';

const PART = /^[a-z0-9][a-z0-9._-]*$/;

/** Parses `os/arch[/variant]`; a malformed value is a usage error naming it. */
export function parsePlatform(text: string): Platform {
  const parts = text.split('/');
  if (parts.length < 2 || parts.length > 3 || !parts.every((p) => PART.test(p))) {
    throw clairError('IMAGE_REFERENCE', `platform ${JSON.stringify(text)} is not of the form os/arch[/variant] (e.g. linux/amd64, linux/arm64/v8)`);
  }
  return { os: parts[0]!, architecture: parts[1]!, variant: parts[2] };
}

export function formatPlatform(platform: Platform): string {
  return [platform.os, platform.architecture, platform.variant].filter((p) => p !== undefined && p !== '').join('/');
}

/** The `platform` field of a descriptor, when it has a usable one. */
export function descriptorPlatform(value: unknown): Platform | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { os, architecture, variant } = value as Record<string, unknown>;
  if (typeof os !== 'string' || typeof architecture !== 'string') return undefined;
  return { os, architecture, variant: typeof variant === 'string' && variant !== '' ? variant : undefined };
}

export function platformMatches(candidate: Platform | undefined, wanted: Platform): boolean {
  if (candidate === undefined) return false;
  if (candidate.os !== wanted.os || candidate.architecture !== wanted.architecture) return false;
  return wanted.variant === undefined || candidate.variant === wanted.variant;
}

/**
 * The first entry whose platform matches, or a not-found error that names
 * `what` and lists every platform on offer.
 */
export function choosePlatform<T extends { platform?: Platform | undefined }>(entries: readonly T[], wanted: Platform, what: string): T {
  const found = entries.find((e) => platformMatches(e.platform, wanted));
  if (found !== undefined) return found;
  const offered = [...new Set(entries.map((e) => (e.platform ? formatPlatform(e.platform) : 'unspecified')))];
  throw clairError(
    'IMAGE_NOT_FOUND',
    `${what} has no image for platform ${formatPlatform(wanted)}; available: ${offered.length > 0 ? offered.join(', ') : 'none'} (choose one with --platform)`,
  );
}
