/** @module Indexer routes: `/indexer/api/v1/…`, Clair's paths and semantics. */
import type { FastifyInstance } from 'fastify';
import type { IndexerService } from '../../indexer/service.js';
import type { Manifest } from '../../model/index.js';
import { vulnerabilityFromRequest } from '../vulnerability-input.js';
import { clairError } from '../../lib/errors.js';
import { ref } from '../schemas.js';
import { HEADERS, commonErrors, emptyResponse, ifNoneMatchIncludes, jsonResponse, negotiate, notFound, tooManyRequests } from '../responses.js';

export const INDEXER_PREFIX = '/indexer/api/v1';
export const INDEX_REPORT_PATH = `${INDEXER_PREFIX}/index_report`;
const VULN_REPORT_PATH = '/matcher/api/v1/vulnerability_report';
const MT = {
  indexReport: 'application/vnd.clair.index_report.v1+json',
  indexState: 'application/vnd.clair.index_state.v1+json',
  bulkDelete: 'application/vnd.clair.bulk_delete.v1+json',
  affected: 'application/vnd.clair.affected_manifests.v1+json',
  manifest: 'application/vnd.clair.manifest.v1+json',
  summaries: 'application/vnd.clair.vulnerability_summaries.v1+json',
};

const digestParams = { type: 'object', properties: { digest: ref('digest') }, required: ['digest'] };

export interface IndexerRouteOptions {
  /** Most vulnerabilities one affected-manifest request may name. */
  affectedManifestVulnerabilities: number;
}

export function indexerRoutes(app: FastifyInstance, indexer: IndexerService, options: IndexerRouteOptions): void {
  app.post<{ Body: Manifest }>(INDEX_REPORT_PATH, {
    schema: {
      tags: ['indexer'],
      operationId: 'Index',
      summary: 'Index the contents of a manifest.',
      description: 'Indexes the manifest (or returns its stored report) and answers with the IndexReport. `If-None-Match` equal to the indexer state gives 412.',
      body: ref('manifest'),
      consumes: [MT.manifest, 'application/json'],
      response: {
        201: jsonResponse(MT.indexReport, ref('index_report'), 'IndexReport created.', { ...HEADERS.etag, ...HEADERS.location, ...HEADERS.link }),
        412: emptyResponse('The indexer state matches If-None-Match.'),
        ...tooManyRequests,
        ...commonErrors,
      },
    },
    handler: async (request, reply) => {
      const state = await indexer.state();
      if (ifNoneMatchIncludes(request.headers['if-none-match'], state)) return reply.code(412).send();
      negotiate(request, reply, MT.indexReport);
      const report = await indexer.index(request.body);
      const digest = request.body.hash;
      return reply
        .code(201)
        .header('etag', `"${state}"`)
        .header('location', `${INDEX_REPORT_PATH}/${digest}`)
        .header('link', [
          `<${INDEX_REPORT_PATH}/${digest}>; rel="https://projectquay.io/clair/v1/index_report"`,
          `<${VULN_REPORT_PATH}/${digest}>; rel="https://projectquay.io/clair/v1/vulnerability_report"`,
        ])
        .send(report);
    },
  });

  app.delete<{ Body: string[] }>(INDEX_REPORT_PATH, {
    schema: {
      tags: ['indexer'],
      operationId: 'DeleteManifests',
      summary: 'Delete several manifests and their index reports.',
      body: ref('bulk_delete'),
      consumes: [MT.bulkDelete, 'application/json'],
      response: { 200: jsonResponse(MT.bulkDelete, ref('bulk_delete'), 'The digests that were deleted.'), ...tooManyRequests, ...commonErrors },
    },
    handler: async (request, reply) => {
      negotiate(request, reply, MT.bulkDelete);
      return reply.code(200).send(await indexer.deleteManifests(request.body));
    },
  });

  app.get<{ Params: { digest: string } }>(`${INDEX_REPORT_PATH}/:digest`, {
    schema: {
      tags: ['indexer'],
      operationId: 'GetIndexReport',
      summary: 'Fetch the index report of a manifest.',
      params: digestParams,
      response: { 200: jsonResponse(MT.indexReport, ref('index_report'), 'The IndexReport.', HEADERS.etag), 304: emptyResponse('Not modified: the indexer state matches If-None-Match.'), ...notFound, ...commonErrors },
    },
    handler: async (request, reply) => {
      const state = await indexer.state();
      if (ifNoneMatchIncludes(request.headers['if-none-match'], state)) return reply.code(304).send();
      negotiate(request, reply, MT.indexReport);
      const report = await indexer.indexReport(request.params.digest);
      if (!report) throw clairError('HTTP_NOT_FOUND', `index report for "${request.params.digest}" not found`);
      return reply.code(200).header('etag', `"${state}"`).send(report);
    },
  });

  app.delete<{ Params: { digest: string } }>(`${INDEX_REPORT_PATH}/:digest`, {
    schema: {
      tags: ['indexer'],
      operationId: 'DeleteManifest',
      summary: 'Delete a manifest and its index report.',
      params: digestParams,
      response: { 204: emptyResponse('Deleted (or did not exist).'), ...commonErrors },
    },
    handler: async (request, reply) => {
      await indexer.deleteManifests([request.params.digest]);
      return reply.code(204).send();
    },
  });

  app.get(`${INDEXER_PREFIX}/index_state`, {
    schema: {
      tags: ['indexer'],
      operationId: 'IndexState',
      summary: 'Report the indexer\'s scanner-set state.',
      response: { 200: jsonResponse(MT.indexState, ref('index_state'), 'The state token.', HEADERS.etag), 304: emptyResponse('Not modified.'), ...commonErrors },
    },
    handler: async (request, reply) => {
      const state = await indexer.state();
      if (ifNoneMatchIncludes(request.headers['if-none-match'], state)) return reply.code(304).send();
      negotiate(request, reply, MT.indexState);
      return reply.code(200).header('etag', `"${state}"`).send({ state });
    },
  });

  app.post<{ Body: { vulnerabilities: Array<Record<string, unknown>> } }>(`${INDEXER_PREFIX}/internal/affected_manifest`, {
    schema: {
      tags: ['indexer', 'internal'],
      operationId: 'AffectedManifests',
      summary: 'Internal: the indexed manifests affected by vulnerabilities.',
      body: ref('affected_manifests_request'),
      consumes: [MT.summaries, 'application/json'],
      response: { 200: jsonResponse(MT.affected, ref('affected_manifests'), 'Affected manifests.'), ...tooManyRequests, ...commonErrors },
    },
    handler: async (request, reply) => {
      const { vulnerabilities } = request.body;
      const limit = options.affectedManifestVulnerabilities;
      if (vulnerabilities.length > limit) {
        throw clairError('HTTP_BAD_REQUEST', `affected_manifest: ${vulnerabilities.length} vulnerabilities in one request; at most ${limit} (indexer.limits.affected_manifest_vulnerabilities)`);
      }
      negotiate(request, reply, MT.affected);
      return reply.code(200).send(await indexer.affectedManifests(vulnerabilities.map(vulnerabilityFromRequest)));
    },
  });
}
