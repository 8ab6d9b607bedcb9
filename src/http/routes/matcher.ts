/** @module Matcher routes: `/matcher/api/v1/…`, Clair's paths and semantics. */
import type { FastifyInstance } from 'fastify';
import type { IndexerService } from '../../indexer/service.js';
import type { MatcherService } from '../../matcher/service.js';
import type { UpdateKind } from '../../model/index.js';
import { clairError } from '../../lib/errors.js';
import { ref } from '../schemas.js';
import { HEADERS, commonErrors, emptyResponse, ifNoneMatchIncludes, jsonResponse, negotiate, notFound } from '../responses.js';

export const MATCHER_PREFIX = '/matcher/api/v1';
const MT = {
  // Upstream labels vulnerability reports with the index_report type (a
  // known upstream bug); we send the correct type, which clients accept.
  vulnerabilityReport: 'application/vnd.clair.vulnerability_report.v1+json',
  updateOperations: 'application/vnd.clair.update_operations.v1+json',
  updateDiff: 'application/vnd.clair.update_diff.v1+json',
};

const uuid = { type: 'string', format: 'uuid' };

export interface MatcherRouteOptions {
  /** Seconds for `Cache-Control: max-age` on vulnerability reports. */
  cacheAgeSeconds: number;
}

export function matcherRoutes(app: FastifyInstance, matcher: MatcherService, indexer: IndexerService, options: MatcherRouteOptions): void {
  app.get<{ Params: { digest: string } }>(`${MATCHER_PREFIX}/vulnerability_report/:digest`, {
    schema: {
      tags: ['matcher'],
      operationId: 'GetVulnerabilityReport',
      summary: 'Report the vulnerabilities affecting an indexed manifest.',
      description: 'Answers 202 with no body until the matcher has loaded vulnerability data, and 404 unless the manifest\'s index report exists and finished.',
      params: { type: 'object', properties: { digest: ref('digest') }, required: ['digest'] },
      response: {
        // Upstream's document says 201; Clair's handler answers 200.
        200: jsonResponse(MT.vulnerabilityReport, ref('vulnerability_report'), 'The VulnerabilityReport.', HEADERS.cacheControl),
        202: emptyResponse('The matcher has not loaded any vulnerability data yet.'),
        ...notFound,
        ...commonErrors,
      },
    },
    handler: async (request, reply) => {
      negotiate(request, reply, MT.vulnerabilityReport);
      if (!(await matcher.initialized())) return reply.code(202).send();
      const report = await indexer.indexReport(request.params.digest);
      if (!report || report.state !== 'IndexFinished') {
        throw clairError('HTTP_NOT_FOUND', `index report for "${request.params.digest}" not found or not finished`);
      }
      const vulnerabilityReport = await matcher.scan(report);
      return reply.code(200).header('cache-control', `max-age=${options.cacheAgeSeconds}`).send(vulnerabilityReport);
    },
  });

  app.get<{ Querystring: { kind?: UpdateKind; latest?: boolean } }>(`${MATCHER_PREFIX}/internal/update_operation`, {
    schema: {
      tags: ['matcher', 'internal'],
      operationId: 'GetUpdateOperation',
      summary: 'Internal: update operations by updater, newest first.',
      querystring: {
        type: 'object',
        properties: { kind: { type: 'string', enum: ['vulnerability', 'enrichment'], default: 'vulnerability' }, latest: { type: 'boolean', default: false } },
        additionalProperties: false,
      },
      response: { 200: jsonResponse(MT.updateOperations, ref('update_operations'), 'Update operations.', HEADERS.etag), 304: emptyResponse('Not modified.'), ...commonErrors },
    },
    handler: async (request, reply) => {
      const kind = request.query.kind ?? 'vulnerability';
      const latest = await matcher.latestUpdateOperation(kind);
      if (latest !== undefined && ifNoneMatchIncludes(request.headers['if-none-match'], latest)) return reply.code(304).send();
      negotiate(request, reply, MT.updateOperations);
      const operations = request.query.latest ? await matcher.latestUpdateOperations(kind) : await matcher.updateOperations(kind);
      if (latest !== undefined) reply.header('etag', `"${latest}"`);
      return reply.code(200).send(operations);
    },
  });

  app.delete<{ Params: { ref: string } }>(`${MATCHER_PREFIX}/internal/update_operation/:ref`, {
    schema: {
      tags: ['matcher', 'internal'],
      operationId: 'DeleteUpdateOperation',
      summary: 'Internal: delete an update operation.',
      params: { type: 'object', properties: { ref: uuid }, required: ['ref'] },
      response: { 200: emptyResponse('Deleted.'), ...commonErrors },
    },
    handler: async (request, reply) => {
      await matcher.deleteUpdateOperations([request.params.ref]);
      return reply.code(200).send();
    },
  });

  app.get<{ Querystring: { cur: string; prev?: string } }>(`${MATCHER_PREFIX}/internal/update_diff`, {
    schema: {
      tags: ['matcher', 'internal'],
      operationId: 'GetUpdateDiff',
      summary: 'Internal: vulnerabilities added and removed between two update operations.',
      // Upstream's document makes `prev` required and `cur` optional; Clair's
      // handler requires `cur` and diffs against nothing without `prev`.
      querystring: { type: 'object', properties: { cur: uuid, prev: uuid }, required: ['cur'], additionalProperties: false },
      response: { 200: jsonResponse(MT.updateDiff, ref('update_diff'), 'The diff.'), ...commonErrors },
    },
    handler: async (request, reply) => {
      negotiate(request, reply, MT.updateDiff);
      return reply.code(200).send(await matcher.updateDiff(request.query.prev, request.query.cur));
    },
  });
}
