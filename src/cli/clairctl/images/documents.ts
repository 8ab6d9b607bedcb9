/**
 * @module Reading the JSON documents images are made of (OCI descriptors,
 * manifests, indexes, docker-archive `manifest.json`), with errors that name
 * the document and the field that is wrong.
 */
import { clairError } from '../../../lib/errors.js';
import { parseDigest, type Digest } from '../../../model/digest.js';
import { descriptorPlatform, type Platform } from './platform.js';

export type JsonObject = Record<string, unknown>;

export const REF_NAME_ANNOTATION = 'org.opencontainers.image.ref.name';

/** Parses a JSON document; invalid JSON is an error naming `where`. */
export function parseJson(bytes: Buffer, where: string): unknown {
  try {
    return JSON.parse(bytes.toString('utf8').replace(/^\uFEFF/, '')) as unknown;
  } catch (err) {
    throw clairError('IMAGE_INVALID', `${where} is not valid JSON: ${(err as Error).message}`, { cause: err });
  }
}

/** Parses a document that must be a JSON object. */
export function parseObject(bytes: Buffer, where: string): JsonObject {
  const value = parseJson(bytes, where);
  if (!isObject(value)) throw clairError('IMAGE_INVALID', `${where} is not a JSON object`);
  return value;
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function invalidField(where: string, field: string, why: string): Error {
  return clairError('IMAGE_INVALID', `${where}: ${field} ${why}`);
}

export function digestField(value: unknown, where: string, field: string): Digest {
  if (typeof value !== 'string') throw invalidField(where, field, value === undefined ? 'is missing' : 'is not a string');
  const parsed = parseDigest(value);
  if (!parsed.ok) throw invalidField(where, field, `is not a digest: ${parsed.reason}`);
  return parsed.digest;
}

/** An OCI content descriptor: what a manifest, index or layer entry points at. */
export interface Descriptor {
  mediaType?: string | undefined;
  digest: Digest;
  size: number;
  annotations: Record<string, string>;
  platform?: Platform | undefined;
}

export function parseDescriptor(value: unknown, where: string, field: string): Descriptor {
  if (!isObject(value)) throw invalidField(where, field, 'is not an object');
  const digest = digestField(value.digest, where, `${field}.digest`);
  const size = value.size;
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) {
    throw invalidField(where, `${field}.size`, size === undefined ? 'is missing' : 'is not a non-negative integer');
  }
  const annotations: Record<string, string> = {};
  if (isObject(value.annotations)) {
    for (const [key, v] of Object.entries(value.annotations)) if (typeof v === 'string') annotations[key] = v;
  }
  return {
    mediaType: typeof value.mediaType === 'string' ? value.mediaType : undefined,
    digest,
    size,
    annotations,
    platform: descriptorPlatform(value.platform),
  };
}

/** The descriptors of a field that must be an array of them (`layers`, `manifests`). */
export function descriptorList(body: JsonObject, where: string, field: string): Descriptor[] {
  const list = body[field];
  if (!Array.isArray(list)) throw invalidField(where, field, list === undefined ? 'is missing' : 'is not an array');
  return list.map((entry, i) => parseDescriptor(entry, where, `${field}[${i}]`));
}
