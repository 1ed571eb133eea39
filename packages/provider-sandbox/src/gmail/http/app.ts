import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import { badRequest, GoogleApiError, statusName } from '../errors';
import { ControlError, type SandboxState } from '../state';
import type { GmailSandboxControl } from '../types';
import { registerControlRoutes } from './control-routes';
import { registerMailboxRoutes } from './gmail-mailbox';
import { registerInsertRoutes } from './gmail-insert';
import { registerMessageRoutes } from './gmail-messages';
import { registerSendRoutes } from './gmail-send';
import { registerThreadRoutes } from './gmail-threads';
import { registerOAuthRoutes } from './oauth-routes';

/** Room for a 35 MB upload plus multipart framing. */
const BODY_LIMIT = 40 * 1024 * 1024;

function addParsers(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  // googleapis sends bodiless POSTs (stop, trash) with a JSON content type.
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    const text = String(body);
    try {
      done(null, text.trim() === '' ? {} : JSON.parse(text));
    } catch {
      done(badRequest('Invalid JSON payload received.'), undefined);
    }
  });
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(String(body))));
  });
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
}

function googleEnvelope(code: number, message: string) {
  const reason = code >= 500 ? 'backendError' : code === 404 ? 'notFound' : 'badRequest';
  return { error: { code, message, errors: [{ message, domain: 'global', reason }], status: statusName(code) } };
}

function addErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | Error, req, reply) => {
    if (err instanceof GoogleApiError) return reply.code(err.code).headers(err.headers).send(err.toBody());
    if (req.url.startsWith('/sandbox/')) {
      const status = err instanceof ControlError ? err.status : 'statusCode' in err && err.statusCode ? err.statusCode : 400;
      return reply.code(status).send({ error: { message: err.message } });
    }
    const status = 'statusCode' in err && err.statusCode ? err.statusCode : 500;
    return reply.code(status).send(googleEnvelope(status, status >= 500 ? 'Backend Error' : err.message));
  });
  app.setNotFoundHandler((_req, reply) => reply.code(404).send(googleEnvelope(404, 'Requested entity was not found.')));
}

export function buildGmailApp(state: SandboxState, control: GmailSandboxControl): FastifyInstance {
  const app = Fastify({ logger: false, bodyLimit: BODY_LIMIT, forceCloseConnections: true });
  addParsers(app);
  addErrorHandling(app);
  registerOAuthRoutes(app, state);
  registerMailboxRoutes(app, state);
  registerMessageRoutes(app, state);
  registerSendRoutes(app, state);
  registerInsertRoutes(app, state);
  registerThreadRoutes(app, state);
  registerControlRoutes(app, control);
  return app;
}
