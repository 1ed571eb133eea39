import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { listEvents } from '../../db/repositories/events';
import type { AppDeps } from '../deps';
import { errorResponses } from '../schemas';

const EventOut = Type.Object({
  id: Type.String(),
  type: Type.String(),
  locationId: Type.Union([Type.String(), Type.Null()]),
  connectionId: Type.Union([Type.String(), Type.Null()]),
  payload: Type.Record(Type.String(), Type.Unknown()),
  createdAt: Type.String(),
});

export const eventRoutes =
  (deps: AppDeps): FastifyPluginAsync =>
  async (base) => {
    const app = base.withTypeProvider<TypeBoxTypeProvider>();
    app.get(
      '/v1/events',
      {
        config: { auth: 'apiKey' },
        schema: {
          tags: ['events'],
          description: 'The replayable event feed (transactional outbox): pass the last id you processed as `after`.',
          querystring: Type.Object(
            { after: Type.Optional(Type.String({ pattern: '^[0-9]{1,19}$' })), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })), type: Type.Optional(Type.String({ maxLength: 100 })) },
            { additionalProperties: false },
          ),
          response: { 200: Type.Object({ events: Type.Array(EventOut), next: Type.Union([Type.String(), Type.Null()]) }), ...errorResponses },
        },
      },
      async (request) => {
        const limit = request.query.limit ?? 100;
        const rows = await listEvents(deps.db, { after: request.query.after ?? '0', limit, type: request.query.type });
        return {
          events: rows.map((r) => ({ id: String(r.id), type: r.type, locationId: r.location_id, connectionId: r.connection_id, payload: r.payload, createdAt: r.created_at.toISOString() })),
          next: rows.length === limit ? String(rows[rows.length - 1]!.id) : null,
        };
      },
    );
  };
