import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ConnectionRow } from '../db/schema';
import { mailboxWorkflowId } from '../workflows/state';

/** Which log field a route's `:id` fills, by the route's prefix; routes not listed bind nothing from their path. */
const ID_PARAM_FIELDS: readonly [prefix: string, field: string][] = [
  ['/v1/connections/:id', 'connectionId'],
  ['/v1/messages/:id', 'messageId'],
];

/** The ids a request's path names, for its log lines. */
export function routeLogIds(routeUrl: string | undefined, params: unknown): Record<string, string> {
  const id = params && typeof params === 'object' ? (params as Record<string, unknown>).id : undefined;
  if (!routeUrl || typeof id !== 'string') return {};
  const entry = ID_PARAM_FIELDS.find(([prefix]) => routeUrl === prefix || routeUrl.startsWith(`${prefix}/`));
  return entry ? { [entry[1]]: id } : {};
}

/** A connection's ids as log fields: its own, its account's and its mailbox workflow's. */
export function connectionLogIds(connection: Pick<ConnectionRow, 'id' | 'account_id' | 'provider'>): Record<string, string> {
  return { connectionId: connection.id, accountId: connection.account_id, workflowId: mailboxWorkflowId(connection.provider, connection.account_id) };
}

/** From here on, the request's log lines (its "request completed" line too) carry these ids. */
export function bindLogIds(request: FastifyRequest, reply: FastifyReply, ids: Record<string, string>): void {
  if (Object.keys(ids).length === 0) return;
  const child = request.log.child(ids);
  request.log = child;
  reply.log = child;
}

/** Binds the ids of the route's resource, where its path names one, before anything else logs about the request. */
export function installLogIds(app: FastifyInstance): void {
  app.addHook('onRequest', async (request, reply) => {
    bindLogIds(request, reply, routeLogIds(request.routeOptions.url, request.params));
  });
}
