/** @module Notifier routes: `/notifier/api/v1/…`, Clair's paths and semantics. */
import type { FastifyInstance } from 'fastify';
import type { NotifierService } from '../../notifier/service.js';
import { ref } from '../schemas.js';
import { commonErrors, emptyResponse, jsonResponse, negotiate, notFound } from '../responses.js';

export const NOTIFIER_PREFIX = '/notifier/api/v1';
const NOTIFICATION_PAGE = 'application/vnd.clair.notification_page.v1+json';
/** Upstream's page size when the client sends none (or 0). */
export const DEFAULT_PAGE_SIZE = 500;
const MAX_PAGE_SIZE = 10_000;

const idParams = { type: 'object', properties: { id: { type: 'string', format: 'uuid' } }, required: ['id'] };

export function notifierRoutes(app: FastifyInstance, notifier: NotifierService): void {
  app.get<{ Params: { id: string }; Querystring: { page_size?: number; next?: string } }>(`${NOTIFIER_PREFIX}/notification/:id`, {
    schema: {
      tags: ['notifier'],
      operationId: 'GetNotification',
      summary: 'Page through a notification\'s contents.',
      description: 'Follow `page.next` with the same `page_size` until it is absent. An unknown id gives an empty page.',
      params: idParams,
      querystring: {
        type: 'object',
        properties: {
          page_size: { type: 'integer', minimum: 0, maximum: MAX_PAGE_SIZE, description: `Items per page; 0 or absent means ${DEFAULT_PAGE_SIZE}.` },
          next: { type: 'string', format: 'uuid', description: 'The `page.next` of the previous page.' },
        },
        additionalProperties: false,
      },
      response: { 200: jsonResponse(NOTIFICATION_PAGE, ref('notification_page'), 'A page of notifications.'), ...commonErrors },
    },
    handler: async (request, reply) => {
      negotiate(request, reply, NOTIFICATION_PAGE);
      const size = request.query.page_size || DEFAULT_PAGE_SIZE;
      const page = request.query.next === undefined ? { size } : { size, next: request.query.next };
      return reply.code(200).send(await notifier.notifications(request.params.id, page));
    },
  });

  app.delete<{ Params: { id: string } }>(`${NOTIFIER_PREFIX}/notification/:id`, {
    schema: {
      tags: ['notifier'],
      operationId: 'DeleteNotification',
      summary: 'Acknowledge a notification.',
      params: idParams,
      response: { 200: emptyResponse('Acknowledged.'), ...notFound, ...commonErrors },
    },
    handler: async (request, reply) => {
      await notifier.deleteNotifications(request.params.id);
      return reply.code(200).send();
    },
  });
}
