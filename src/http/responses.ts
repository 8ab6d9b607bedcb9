/** @module Response schema helpers shared by the route modules. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { pickContentType } from './negotiate.js';
import { ref } from './schemas.js';

/** A JSON response documented under its Clair media type and plain JSON. */
export function jsonResponse(mediaType: string, schema: object, description: string): object {
  return { description, content: { [mediaType]: { schema }, 'application/json': { schema } } };
}

const errorBody = (description: string) => ({ description, content: { 'application/json': { schema: ref('error') } } });

/** The error responses every route may give. */
export const commonErrors = {
  400: errorBody('Bad request: the message names the problem.'),
  415: errorBody('Unsupported media type: no acceptable response type.'),
  500: errorBody('Internal error.'),
  501: errorBody('Not implemented yet.'),
};

export const notFound = { 404: errorBody('Not found.') };
export const tooManyRequests = { 429: errorBody('Too many requests: the concurrency limit is reached.') };
export const emptyResponse = (description: string) => ({ description, type: 'null' });

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
