import Fastify, { type FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { eventSchemas } from './event-schemas';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { AppDeps } from './deps';
import { installApiKeyAuth } from './auth';
import { frameworkErrors, installErrorHandler, MAX_PATH_PARAM_LENGTH } from './errors';
import { installNulGuard } from './nul-guard';
import { apiMetricsFor, installMetrics } from './metrics';
import { installLogIds } from './log-ids';
import { ErrorBody } from './schemas';
import { healthRoutes } from './routes/health';
import { directoryRoutes } from './routes/directory';
import { directoryGetDeleteRoutes } from './routes/directory-get-delete';
import { connectionRoutes } from './routes/connections';
import { conversationRoutes } from './routes/conversations';
import { messageRoutes } from './routes/messages';
import { crmSendRoutes } from './routes/crm-send';
import { decisionRoutes } from './routes/decisions';
import { eventRoutes } from './routes/events';
import { oauthRoutes } from './routes/oauth';
import { providerPushRoutes } from './routes/provider-push';
import { webhookRoutes } from './routes/webhooks';

export type App = FastifyInstance;

export interface RouteRecord {
  method: string | string[];
  url: string;
  auth: string | undefined;
  hasResponseSchema: boolean;
  fromDocs: boolean;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route the app serves, as registered: lets a test hold each to the schema and auth rules. */
    routeTable: RouteRecord[];
  }
}

/** Builds the API without listening: the server file listens, tests use app.inject(). */
export async function buildApp(deps: AppDeps): Promise<App> {
  const app = Fastify({
    ...(deps.logger ? { loggerInstance: deps.logger } : { logger: false }),
    // Every path id reaches validation (ids are at most 200 characters): an over-long one is a 400 naming it, not Fastify's 414.
    routerOptions: { maxParamLength: MAX_PATH_PARAM_LENGTH },
    frameworkErrors,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', allErrors: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();
  const routeTable: RouteRecord[] = [];
  app.decorate('routeTable', routeTable);
  app.addHook('onRoute', (route) => {
    // The API docs are public, like any OpenAPI document.
    if (route.url.startsWith('/docs')) route.config = { ...route.config, auth: 'none' };
    routeTable.push({
      method: route.method,
      url: route.url,
      auth: route.config?.auth,
      hasResponseSchema: Boolean(route.schema?.response),
      fromDocs: route.url.startsWith('/docs'),
    });
  });
  app.addSchema(ErrorBody);
  for (const schema of eventSchemas()) app.addSchema(schema);
  installErrorHandler(app);
  installNulGuard(app);
  installLogIds(app);
  await app.register(swagger, {
    // Shared schemas keep their $id as their component name (ErrorBody, EventPayload.<type>).
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
    openapi: {
      info: { title: 'mailsync API', version: '1', description: 'Two-way email sync for CRMs' },
      components: { securitySchemes: { apiKey: { type: 'http', scheme: 'bearer' } } },
      security: [{ apiKey: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  installApiKeyAuth(app, deps.config.api.keys);
  installMetrics(app, deps.metrics ?? apiMetricsFor(deps.db));
  await app.register(healthRoutes(deps));
  await app.register(directoryRoutes(deps));
  await app.register(directoryGetDeleteRoutes(deps));
  await app.register(connectionRoutes(deps));
  await app.register(crmSendRoutes(deps));
  await app.register(conversationRoutes(deps));
  await app.register(messageRoutes(deps));
  await app.register(decisionRoutes(deps));
  await app.register(eventRoutes(deps));
  await app.register(webhookRoutes(deps));
  await app.register(providerPushRoutes(deps));
  await app.register(oauthRoutes(deps));
  return app;
}
