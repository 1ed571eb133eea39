import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { connectMailbox } from '../../connections/connect';
import { updateCredentials } from '../../connections/credentials';
import { disconnectConnection } from '../../connections/disconnect';
import { updateConnectionSettings } from '../../connections/settings';
import { viewConnection } from '../../connections/view';
import type { AppDeps } from '../deps';
import { bindLogIds, connectionLogIds } from '../log-ids';
import { Email, errorResponses, Id, NextCursor, PageQuery, Provider } from '../schemas';
import { listConnectionViews } from '../../connections/list';
import { DEFAULT_LIMIT } from '../../pagination/cursor';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

const ConnectionStatus = Type.Union([Type.Literal('active'), Type.Literal('needs_reauth'), Type.Literal('disconnected')]);

export const ConnectionOut = Type.Object({
  id: Type.String(),
  locationId: Type.String(),
  userId: Type.String(),
  provider: Provider,
  accountId: Type.String(),
  address: Type.String(),
  status: Type.String(),
  bccAddress: Type.String(),
  connectedAt: Type.String(),
  disconnectedAt: Nullable(Type.String()),
  workflowId: Type.String(),
  sync: Type.Object({
    status: Type.String(),
    cursor: Type.Record(Type.String(), Type.Unknown()),
    lastSyncAt: Nullable(Type.String()),
    backoffUntil: Nullable(Type.String()),
    lastError: Nullable(Type.Object({ kind: Type.String(), reason: Type.String(), at: Type.String() })),
    driftFound: Type.Integer(),
  }),
  sendsLast24h: Type.Integer(),
  dailySendLimit: Type.Integer(),
});

const ConnectBody = Type.Object(
  {
    locationId: Id,
    userId: Id,
    provider: Provider,
    refreshToken: Type.String({ minLength: 1, maxLength: 4096 }),
    address: Type.Optional(Email),
    dailySendLimit: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000, description: 'R16: sends per rolling 24 h (default 500; 2000 for Workspace).' })),
  },
  { additionalProperties: false },
);

export const connectionRoutes =
  (deps: AppDeps): FastifyPluginAsync =>
  async (base) => {
    const app = base.withTypeProvider<TypeBoxTypeProvider>();
    const connectDeps = deps;

    app.post(
      '/v1/connections',
      {
        config: { auth: 'apiKey' },
        schema: {
          tags: ['connections'],
          description: 'Connect a mailbox for a user in a location, with a refresh token from an OAuth flow the CRM ran itself.',
          body: ConnectBody,
          response: { 200: ConnectionOut, 201: ConnectionOut, ...errorResponses },
        },
      },
      async (request, reply) => {
        const { connection, created } = await connectMailbox(connectDeps, request.body);
        bindLogIds(request, reply, connectionLogIds(connection));
        return reply.code(created ? 201 : 200).send(await viewConnection(deps, connection.id));
      },
    );

    app.patch(
      '/v1/connections/:id',
      {
        config: { auth: 'apiKey' },
        schema: {
          tags: ['connections'],
          description:
            "Change a connection's settings after connecting. dailySendLimit (R16) belongs to the mailbox: every connection of the same account shares it, and its workflow applies it to the next send. 409 MAILBOX_DISCONNECTED for a disconnected connection.",
          params: Type.Object({ id: Id }),
          body: Type.Object(
            { dailySendLimit: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000, description: 'R16: sends per rolling 24 h.' })) },
            { additionalProperties: false, minProperties: 1 },
          ),
          response: { 200: ConnectionOut, ...errorResponses },
        },
      },
      async (request) => {
        await updateConnectionSettings(deps, request.params.id, request.body);
        return viewConnection(deps, request.params.id);
      },
    );

    app.get(
      '/v1/connections',
      {
        config: { auth: 'apiKey' },
        schema: {
          tags: ['connections'],
          description:
            'The connection status a CRM shows its users, in the order connections were made. Read from the database: sync.backoffUntil and sync.lastError are null here; GET /v1/connections/:id has them live.',
          querystring: Type.Object(
            { locationId: Type.Optional(Id), userId: Type.Optional(Id), status: Type.Optional(ConnectionStatus), ...PageQuery },
            { additionalProperties: false },
          ),
          response: { 200: Type.Object({ connections: Type.Array(ConnectionOut), nextCursor: NextCursor }), ...errorResponses },
        },
      },
      async (request) => {
        const { limit = DEFAULT_LIMIT, cursor, ...filter } = request.query;
        const page = await listConnectionViews(deps.db, filter, { limit, cursor });
        return { connections: page.items, nextCursor: page.nextCursor };
      },
    );

    app.get(
      '/v1/connections/:id',
      { config: { auth: 'apiKey' }, schema: { tags: ['connections'], params: Type.Object({ id: Id }), response: { 200: ConnectionOut, ...errorResponses } } },
      async (request) => viewConnection(deps, request.params.id),
    );

    app.put(
      '/v1/connections/:id/credentials',
      {
        config: { auth: 'apiKey' },
        schema: {
          tags: ['connections'],
          description:
            'New credentials. The same mailbox: re-authentication (R19), sync resumes where it stopped. Another mailbox: update email (R14), the connection moves to it.',
          params: Type.Object({ id: Id }),
          body: Type.Object({ refreshToken: Type.String({ minLength: 1, maxLength: 4096 }) }, { additionalProperties: false }),
          response: { 200: Type.Object({ outcome: Type.String(), connection: ConnectionOut }), ...errorResponses },
        },
      },
      async (request) => {
        const { outcome } = await updateCredentials(connectDeps, request.params.id, request.body.refreshToken);
        return { outcome, connection: await viewConnection(deps, request.params.id) };
      },
    );

    app.delete(
      '/v1/connections/:id',
      {
        config: { auth: 'apiKey' },
        schema: { tags: ['connections'], description: 'Disconnect (R15).', params: Type.Object({ id: Id }), response: { 200: ConnectionOut, ...errorResponses } },
      },
      async (request) => {
        await disconnectConnection(connectDeps, request.params.id);
        return viewConnection(deps, request.params.id);
      },
    );
  };
