import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { approve, authorize, type AuthAnswer, type AuthParams } from '../oauth/consent';
import { faultAnswer, handleToken, tokenAccount } from '../oauth/token-endpoint';
import type { SandboxState } from '../state';
import { bodyOf, queryOf, str } from './params';

const flat = (obj: Record<string, unknown>): AuthParams => Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, str(v)]));

function sendAuth(reply: FastifyReply, answer: AuthAnswer) {
  if (answer.kind === 'redirect') return reply.redirect(answer.location, 302);
  return reply.code(answer.status).type('text/html; charset=utf-8').send(answer.html);
}

/** Google's OAuth endpoints: token, revoke, the authorization page and the signing certificates. */
export function registerOAuthRoutes(app: FastifyInstance, state: SandboxState): void {
  app.post('/token', async (req, reply) => {
    const form = flat(bodyOf(req));
    const account = tokenAccount(state, form);
    const fault = account ? state.faults.take(account, 'oauth.token') : null;
    if (account && fault) state.counters.of(account).faultsInjected += 1;
    if (fault?.latencyMs) await sleep(fault.latencyMs);
    const answer = fault?.status ? faultAnswer(fault.status) : await handleToken(state, form, req.headers.authorization);
    if (fault?.delayResponseMs) await sleep(fault.delayResponseMs);
    return reply.code(answer.status).header('cache-control', 'no-cache, no-store, max-age=0, must-revalidate').send(answer.body);
  });

  app.post('/revoke', async (req, reply) => {
    const token = str(queryOf(req).token) ?? str(bodyOf(req).token);
    if (!token || !state.tokens.revokeToken(token)) return reply.code(400).send({ error: 'invalid_token', error_description: 'Token expired or revoked' });
    return reply.code(200).send({});
  });

  app.get('/o/oauth2/v2/auth', (req, reply) => sendAuth(reply, authorize(state, flat(queryOf(req)))));

  app.post('/o/oauth2/v2/auth/approve', (req, reply) => {
    const form = flat(bodyOf(req));
    return sendAuth(reply, approve(state, form, form.deny ? undefined : form.address));
  });

  app.get('/oauth2/v3/certs', (_req, reply) => reply.header('cache-control', 'public, max-age=3600').send(state.keys.jwks));
  app.get('/oauth2/v1/certs', (_req, reply) => reply.header('cache-control', 'public, max-age=3600').send(state.keys.pemCerts));
}
