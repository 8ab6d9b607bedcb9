/** @module Response schema helpers shared by the route modules. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { pickContentType } from './negotiate.js';
import { ref } from './schemas.js';

/** Response headers the routes document, by name. */
export const HEADERS = {
  etag: { ETag: { type: 'string', description: 'The quoted state token; send it back in If-None-Match.' } },
  location: { Location: { type: 'string', description: 'Where the created index report can be fetched.' } },
  link: {
    Link: {
      type: 'string',
      description: 'Two links: the index report (rel="https://projectquay.io/clair/v1/index_report") and the vulnerability report (rel="https://projectquay.io/clair/v1/vulnerability_report").',
    },
  },
  cacheControl: { 'Cache-Control': { type: 'string', description: 'max-age of the report, from matcher.cache_age.' } },
} as const;

/** A JSON response documented under its Clair media type and plain JSON, with any headers it sets. */
export function jsonResponse(mediaType: string, schema: object, description: string, headers: object = {}): object {
  return { description, ...(Object.keys(headers).length > 0 ? { headers } : {}), content: { [mediaType]: { schema }, 'application/json': { schema } } };
}

const ERROR_MEDIA_TYPE = 'application/vnd.clair.error.v1+json';
const errorBody = (description: string) => ({ description, content: { [ERROR_MEDIA_TYPE]: { schema: ref('error') }, 'application/json': { schema: ref('error') } } });

/** The error responses every route may give. */
export const commonErrors = {
  400: errorBody('Bad request: the message names the problem.'),
  415: errorBody('Unsupported media type: no acceptable response type.'),
  500: errorBody('Internal error.'),
};

export const notFound = { 404: errorBody('Not found.') };
export const tooManyRequests = { 429: errorBody('Too many requests: the concurrency limit is reached.') };
export const emptyResponse = (description: string, headers: object = {}) => ({ description, type: 'null', ...(Object.keys(headers).length > 0 ? { headers } : {}) });

/** Negotiates the response type from Accept and sets it. */
export function negotiate(request: FastifyRequest, reply: FastifyReply, mediaType: string): void {
  reply.type(pickContentType(request.headers.accept, [mediaType, 'application/json']));
}

/** Strips quotes and weak markers from each entity tag of an If-None-Match header. */
export function ifNoneMatchIncludes(header: string | undefined, tag: string): boolean {
  if (!header) return false;
  return header.split(',').some((t) => {
    const v = t.trim().replace(/^W\//, '');
    return v === '*' || v === `"${tag}"`;
  });
}
