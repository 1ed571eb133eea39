import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { finishOAuth, startOAuth } from '../../connections/oauth';
import { viewConnection } from '../../connections/view';
import type { AppDeps } from '../deps';
import { errorResponses, Id, Provider } from '../schemas';
import { ConnectionOut } from './connections';

export const oauthRoutes =
  (deps: AppDeps): FastifyPluginAsync =>
  async (base) => {
    const app = base.withTypeProvider<TypeBoxTypeProvider>();
    const oauth = { ...deps, publicUrl: deps.config.api.publicUrl, google: deps.google, ...(deps.microsoft ? { microsoft: deps.microsoft } : {}) };

    app.post(
      '/v1/connections/oauth/:provider/start',
      {
        config: { auth: 'apiKey' },
        schema: {
          tags: ['connections'],
          description: 'Start a consent flow run by mailsync. Send the user to `url`; the provider comes back to /v1/oauth/:provider/callback.',
          params: Type.Object({ provider: Provider }),
          body: Type.Object(
            { locationId: Id, userId: Id, loginHint: Type.Optional(Type.String({ maxLength: 320 })), redirectAfter: Type.Optional(Type.String({ format: 'uri', maxLength: 2000 })) },
            { additionalProperties: false },
          ),
          response: { 200: Type.Object({ url: Type.String(), state: Type.String() }), ...errorResponses },
        },
      },
      async (request) => startOAuth(oauth, request.params.provider, request.body),
    );

    app.get(
      '/v1/oauth/:provider/callback',
      {
        // The one-time state parameter authenticates this redirect, not the API key.
        config: { auth: 'none' },
        schema: {
          tags: ['connections'],
          params: Type.Object({ provider: Provider }),
          querystring: Type.Object({ code: Type.Optional(Type.String()), state: Type.Optional(Type.String()), error: Type.Optional(Type.String()), scope: Type.Optional(Type.String()) }),
          response: { 200: ConnectionOut, 201: ConnectionOut, 302: Type.Null(), ...errorResponses },
        },
      },
      async (request, reply) => {
        const { connection, created, redirectAfter } = await finishOAuth(oauth, request.params.provider, request.query);
        if (redirectAfter) {
          const target = new URL(redirectAfter);
          target.searchParams.set('connectionId', connection.id);
          return reply.redirect(target.toString(), 302);
        }
        return reply.code(created ? 201 : 200).send(await viewConnection(deps, connection.id));
      },
    );
  };
