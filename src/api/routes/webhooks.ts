import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type, type TSchema } from 'typebox';
import * as endpoints from '../../crm-webhooks/endpoints';
import { DEFAULT_WEBHOOK_SETTINGS } from '../../crm-webhooks/settings';
import type { WebhookDeliveryRow, WebhookEndpointRow } from '../../db/schema';
import { EVENT_TYPES } from '../../event-types';
import type { AppDeps } from '../deps';
import { errorResponses, Id } from '../schemas';

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const FeedId = Type.String({ pattern: '^[0-9]{1,18}$', description: 'A feed event id, as GET /v1/events returns it' });
const EventTypes = Type.Array(Type.Union(EVENT_TYPES.map((t) => Type.Literal(t))), {
  uniqueItems: true,
  maxItems: EVENT_TYPES.length,
  description: 'Event types to deliver. Empty or absent: every type except the opt-in `decision.skipped`, which is delivered only when listed.',
});
const Url = Type.String({ minLength: 1, maxLength: 2048, description: 'http(s) URL; loopback and private addresses are refused unless MAILSYNC_WEBHOOK_ALLOW_PRIVATE allows them' });
const Description = Nullable(Type.String({ maxLength: 500 }));

const EndpointOut = Type.Object({
  id: Type.String(),
  url: Type.String(),
  description: Nullable(Type.String()),
  eventTypes: Type.Array(Type.String()),
  enabled: Type.Boolean(),
  status: Type.Union([Type.Literal('active'), Type.Literal('failing')], { description: '`failing`: retries gave up; deliveries are kept, POST .../redeliver resumes' }),
  deliveredThrough: Type.String({ description: 'The last feed event id this endpoint has been delivered (or was not subscribed to)' }),
  failingSince: Nullable(Type.String()),
  previousSecretExpiresAt: Nullable(Type.String({ description: 'Until then deliveries carry a signature by the previous secret too' })),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});
const WithSecret = Type.Object({
  endpoint: EndpointOut,
  secret: Type.String({ description: 'The Standard Webhooks signing secret (whsec_…). Shown only in this response.' }),
});
const DeliveryOut = Type.Object({
  eventId: Type.String(),
  eventType: Type.String(),
  status: Type.Union([Type.Literal('delivered'), Type.Literal('retrying'), Type.Literal('failed')]),
  attempts: Type.Integer(),
  lastStatusCode: Nullable(Type.Integer()),
  lastError: Nullable(Type.String()),
  lastAttemptAt: Type.String(),
  nextAttemptAt: Nullable(Type.String()),
  deliveredAt: Nullable(Type.String()),
});
const Params = Type.Object({ id: Id });

const iso = (d: Date | null) => (d ? d.toISOString() : null);

const viewEndpoint = (r: WebhookEndpointRow, now = new Date()) => ({
  id: r.id,
  url: r.url,
  description: r.description,
  eventTypes: r.event_types,
  enabled: r.enabled,
  status: r.status,
  deliveredThrough: String(r.position),
  failingSince: iso(r.failing_since),
  previousSecretExpiresAt: r.previous_secret_expires_at && r.previous_secret_expires_at > now ? r.previous_secret_expires_at.toISOString() : null,
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
});

const viewDelivery = (d: WebhookDeliveryRow) => ({
  eventId: String(d.position),
  eventType: d.event_type,
  status: d.status,
  attempts: d.attempts,
  lastStatusCode: d.last_status_code,
  lastError: d.last_error,
  lastAttemptAt: d.last_attempt_at.toISOString(),
  nextAttemptAt: iso(d.next_attempt_at),
  deliveredAt: iso(d.delivered_at),
});

/** Webhook endpoints: CRUD, secret rotation, test, delivery log and re-delivery. */
export const webhookRoutes =
  (deps: AppDeps): FastifyPluginAsync =>
  async (base) => {
    const app = base.withTypeProvider<TypeBoxTypeProvider>();
    const svc: endpoints.EndpointDeps = { db: deps.db, cipher: deps.cipher, temporal: deps.temporal, taskQueue: deps.taskQueue, webhooks: deps.webhooks ?? DEFAULT_WEBHOOK_SETTINGS };
    const tags = ['webhooks'];

    app.post(
      '/v1/webhooks',
      {
        config: { auth: 'apiKey' },
        schema: {
          tags,
          description: 'Adds an endpoint. It gets the events that happen from now on, in feed order, signed per Standard Webhooks with the secret returned here (only here).',
          body: Type.Object({ url: Url, description: Type.Optional(Description), eventTypes: Type.Optional(EventTypes), enabled: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
          response: { 201: WithSecret, ...errorResponses },
        },
      },
      async (request, reply) => {
        const { endpoint, secret } = await endpoints.createEndpoint(svc, request.body);
        return reply.code(201).send({ endpoint: viewEndpoint(endpoint), secret });
      },
    );

    app.get(
      '/v1/webhooks',
      {
        config: { auth: 'apiKey' },
        schema: {
          tags,
          description: 'Endpoints in id order, cursor-paginated.',
          querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })), cursor: Type.Optional(Id) }, { additionalProperties: false }),
          response: { 200: Type.Object({ webhooks: Type.Array(EndpointOut), nextCursor: Nullable(Type.String()) }), ...errorResponses },
        },
      },
      async (request) => {
        const limit = request.query.limit ?? 50;
        const rows = await endpoints.listEndpoints(svc, { limit, after: request.query.cursor });
        return { webhooks: rows.map((r) => viewEndpoint(r)), nextCursor: rows.length === limit ? rows[rows.length - 1]!.id : null };
      },
    );

    app.get(
      '/v1/webhooks/:id',
      { config: { auth: 'apiKey' }, schema: { tags, description: 'One endpoint (never its secret).', params: Params, response: { 200: EndpointOut, ...errorResponses } } },
      async (request) => viewEndpoint(await endpoints.getEndpoint(svc, request.params.id)),
    );

    app.patch(
      '/v1/webhooks/:id',
      {
        config: { auth: 'apiKey' },
        schema: {
          tags,
          description: 'Changes url, description, event types or enabled. Disabling pauses delivery; enabling resumes it where it stopped (nothing is skipped).',
          params: Params,
          body: Type.Object({ url: Type.Optional(Url), description: Type.Optional(Description), eventTypes: Type.Optional(EventTypes), enabled: Type.Optional(Type.Boolean()) }, { additionalProperties: false, minProperties: 1 }),
          response: { 200: EndpointOut, ...errorResponses },
        },
      },
      async (request) => viewEndpoint(await endpoints.updateEndpoint(svc, request.params.id, request.body)),
    );

    app.delete(
      '/v1/webhooks/:id',
      { config: { auth: 'apiKey' }, schema: { tags, description: 'Removes the endpoint and its delivery log; delivery to it stops.', params: Params, response: { 200: EndpointOut, ...errorResponses } } },
      async (request) => viewEndpoint(await endpoints.deleteEndpoint(svc, request.params.id)),
    );

    app.post(
      '/v1/webhooks/:id/rotate-secret',
      {
        config: { auth: 'apiKey' },
        schema: {
          tags,
          description: 'A new signing secret, shown once. For 24 hours each delivery is signed with both the new and the previous secret, so the receiver can switch at its own pace.',
          params: Params,
          response: { 200: WithSecret, ...errorResponses },
        },
      },
      async (request) => {
        const { endpoint, secret } = await endpoints.rotateEndpointSecret(svc, request.params.id);
        return { endpoint: viewEndpoint(endpoint), secret };
      },
    );

    app.post(
      '/v1/webhooks/:id/test',
      {
        config: { auth: 'apiKey' },
        schema: {
          tags,
          description: 'Sends a signed `webhook.test` message now (not from the feed) and reports how the endpoint answered.',
          params: Params,
          response: { 200: Type.Object({ delivered: Type.Boolean(), statusCode: Nullable(Type.Integer()), error: Nullable(Type.String()), durationMs: Type.Integer() }), ...errorResponses },
        },
      },
      async (request) => {
        const outcome = await endpoints.testEndpoint(svc, request.params.id);
        return { delivered: outcome.ok, statusCode: outcome.statusCode, error: outcome.error, durationMs: outcome.durationMs };
      },
    );

    app.get(
      '/v1/webhooks/:id/deliveries',
      {
        config: { auth: 'apiKey' },
        schema: {
          tags,
          description: 'The delivery log, newest event first: status, attempts, last response code and time, next attempt.',
          params: Params,
          querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })), cursor: Type.Optional(FeedId) }, { additionalProperties: false }),
          response: { 200: Type.Object({ deliveries: Type.Array(DeliveryOut), nextCursor: Nullable(Type.String()) }), ...errorResponses },
        },
      },
      async (request) => {
        const limit = request.query.limit ?? 100;
        const rows = await endpoints.listEndpointDeliveries(svc, request.params.id, { limit, before: request.query.cursor });
        return { deliveries: rows.map(viewDelivery), nextCursor: rows.length === limit ? String(rows[rows.length - 1]!.position) : null };
      },
    );

    app.post(
      '/v1/webhooks/:id/redeliver',
      {
        config: { auth: 'apiKey' },
        schema: {
          tags,
          description:
            'Delivers again, in order, every subscribed event after `after` (a feed event id, as GET /v1/events?after=); without it, resumes where delivery stopped. A failing endpoint becomes active again.',
          params: Params,
          body: Type.Object({ after: Type.Optional(FeedId) }, { additionalProperties: false }),
          response: { 200: EndpointOut, ...errorResponses },
        },
        // A bare POST (no body) resumes where delivery stopped.
        preValidation: async (request) => {
          request.body ??= {};
        },
      },
      async (request) => viewEndpoint(await endpoints.redeliverEndpoint(svc, request.params.id, request.body.after ?? null)),
    );
  };
