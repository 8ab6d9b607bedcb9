/**
 * @module The one place errors become HTTP responses: Clair's JSON body
 * `{code, message}`, `X-Content-Type-Options: nosniff`, and the status from
 * the error catalogue. Unknown errors are 500 `internal-error` and are logged;
 * their text never reaches the client.
 */
import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import { isClairError, type ApiErrorCode } from '../lib/errors.js';

/** Upstream's mapping from status to API code (httptransport/error.go). */
export function apiCodeFor(status: number): ApiErrorCode {
  switch (status) {
    case 400:
      return 'bad-request';
    case 404:
      return 'not-found';
    case 405:
      return 'method-not-allowed';
    case 429:
      return 'too-many-requests';
    case 501:
      return 'not-implemented';
    case 415:
      // Upstream answers an unacceptable Accept with internal-error; clients know it so.
      return 'internal-error';
    default:
      // Other client errors (413, 414, 431, …) are the client's fault, not ours.
      return status >= 400 && status < 500 ? 'bad-request' : 'internal-error';
  }
}

/**
 * Fastify's own early refusals (a malformed URL, a path parameter too long
 * for the router) in Clair's error body, without echoing the URL.
 */
export function frameworkError(error: { code?: string }, _request: unknown, reply: FastifyReply): void {
  const message = error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 'a path parameter is too long' : 'the request URL is malformed';
  void sendApiError(reply, 400, message);
}

export function sendApiError(reply: FastifyReply, status: number, message: string): FastifyReply {
  reply.removeHeader('link');
  return reply
    .code(status)
    .header('content-type', 'application/json')
    .header('x-content-type-options', 'nosniff')
    .send({ code: apiCodeFor(status), message });
}

export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    if (err.validation) {
      // Fastify/ajv text names the field, e.g. "body/hash must match pattern …".
      return sendApiError(reply, 400, err.message);
    }
    if (isClairError(err)) {
      if (err.httpStatus >= 500 && err.httpStatus !== 501) request.log.error({ err }, 'request failed');
      return sendApiError(reply, err.httpStatus, err.message);
    }
    const status = err.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      // Fastify's own client errors: bad JSON, body too large, bad content type.
      return sendApiError(reply, status === 415 ? 415 : status, err.message);
    }
    request.log.error({ err }, 'request failed');
    return sendApiError(reply, 500, 'internal error');
  });
}
