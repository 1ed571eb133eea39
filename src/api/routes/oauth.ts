import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { authorizeOAuth, finishOAuth, startOAuth, STATE_TTL_MS } from '../../connections/oauth';
import type { Provider as ProviderName } from '../../provider';
import { viewConnection } from '../../connections/view';
import type { AppDeps } from '../deps';
import { bindLogIds, connectionLogIds } from '../log-ids';
import { errorResponses, Id, Provider } from '../schemas';
import { ConnectionOut } from './connections';

export const oauthRoutes =
  (deps: AppDeps): FastifyPluginAsync =>
  async (base) => {
    const app = base.withTypeProvider<TypeBoxTypeProvider>();
    const { publicUrl, oauthRedirectOrigins } = deps.config.api;
    const oauth = { ...deps, publicUrl, redirectOrigins: oauthRedirectOrigins, google: deps.google, ...(deps.microsoft ? { microsoft: deps.microsoft } : {}) };
    const secure = publicUrl.startsWith('https:');
    const cookieName = (provider: ProviderName) => `mailsync_oauth_${provider}`;
    // HttpOnly: no script reads it; SameSite=Lax: sent on the provider's top-level redirect back; scoped to this provider's OAuth paths.
    const cookie = (provider: ProviderName, value: string, maxAgeSeconds: number) =>
      `${cookieName(provider)}=${value}; Path=/v1/oauth/${provider}; Max-Age=${maxAgeSeconds}; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`;
    const cookieValue = (header: string | undefined, name: string) =>
      header?.split(';').map((part) => part.trim().split('=')).find(([key]) => key === name)?.[1];

    app.post(
      '/v1/connections/oauth/:provider/start',
      {
        config: { auth: 'apiKey' },
        schema: {
          tags: ['connections'],
          description:
            'Start a consent flow run by mailsync. Send the user\'s browser to `url` (mailsync\'s authorize link, usable once, for 15 minutes): it binds the flow to that browser and goes on to the provider, which comes back to /v1/oauth/:provider/callback. `redirectAfter` must be on an origin listed in MAILSYNC_OAUTH_REDIRECT_ORIGINS.',
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
      '/v1/oauth/:provider/authorize',
      {
        // The browser the CRM sent here; the one-time state in the link is what it carries.
        config: { auth: 'none' },
        schema: {
          tags: ['connections'],
          description: 'Binds the consent flow to this browser (an HttpOnly cookie) and redirects to the provider\'s consent page. Once per state.',
          params: Type.Object({ provider: Provider }),
          querystring: Type.Object({ state: Type.Optional(Type.String({ maxLength: 200 })) }),
          response: { 302: Type.Null(), ...errorResponses },
        },
      },
      async (request, reply) => {
        const { provider } = request.params;
        const { consentUrl, browserSecret } = await authorizeOAuth(oauth, provider, request.query.state);
        reply.header('set-cookie', cookie(provider, browserSecret, STATE_TTL_MS / 1000));
        return reply.redirect(consentUrl, 302);
      },
    );

    app.get(
      '/v1/oauth/:provider/callback',
      {
        // The one-time state parameter and the browser's cookie from the authorize step authenticate this redirect, not the API key.
        config: { auth: 'none' },
        schema: {
          tags: ['connections'],
          params: Type.Object({ provider: Provider }),
          querystring: Type.Object({ code: Type.Optional(Type.String()), state: Type.Optional(Type.String()), error: Type.Optional(Type.String()), scope: Type.Optional(Type.String()) }),
          response: { 200: ConnectionOut, 201: ConnectionOut, 302: Type.Null(), ...errorResponses },
        },
      },
      async (request, reply) => {
        const { provider } = request.params;
        const browserSecret = cookieValue(request.headers.cookie, cookieName(provider));
        const { connection, created, redirectAfter } = await finishOAuth(oauth, provider, request.query, browserSecret);
        bindLogIds(request, reply, connectionLogIds(connection));
        reply.header('set-cookie', cookie(provider, '', 0));
        if (redirectAfter) {
          const target = new URL(redirectAfter);
          target.searchParams.set('connectionId', connection.id);
          return reply.redirect(target.toString(), 302);
        }
        return reply.code(created ? 201 : 200).send(await viewConnection(deps, connection.id));
      },
    );
  };
