import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppDeps } from '../deps';
import { readEvents } from '../../db/repositories/events';
import { EVENT_TYPES } from '../../event-types';
import { ApiError } from '../errors';
import { errorResponses } from '../schemas';

/** Feed positions are Postgres bigints. */
const MAX_POSITION = 9223372036854775807n;

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
          description:
            'The replayable event feed (transactional outbox), in commit order: pass the last id you processed as `after`. An id is a feed position, given once the change committed, so following `after` never skips an event.',
          querystring: Type.Object(
            { after: Type.Optional(Type.String({ pattern: '^[0-9]{1,19}$' })), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })), type: Type.Optional(Type.Union(EVENT_TYPES.map((t) => Type.Literal(t)), { description: 'Only this event type; payload schemas are under components (EventPayload.<type>)' })) },
            { additionalProperties: false },
          ),
          response: { 200: Type.Object({ events: Type.Array(EventOut), next: Type.Union([Type.String(), Type.Null()]) }), ...errorResponses },
        },
      },
      async (request) => {
        const limit = request.query.limit ?? 100;
        if (request.query.after && BigInt(request.query.after) > MAX_POSITION) {
          throw new ApiError('VALIDATION_FAILED', `querystring.after must be at most ${MAX_POSITION}`, { fields: [{ field: 'querystring.after', problem: 'too large' }] });
        }
        const events = await readEvents(deps.db, { after: request.query.after ?? '0', limit, ...(request.query.type ? { type: request.query.type } : {}) });
        return {
          events: events.map((e) => ({ id: e.position, type: e.type, locationId: e.locationId, connectionId: e.connectionId, payload: e.payload, createdAt: e.createdAt.toISOString() })),
          next: events.length === limit ? events[events.length - 1]!.position : null,
        };
      },
    );
  };
