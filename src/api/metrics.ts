import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { countMailboxes, syncLagBuckets } from '../db/repositories/account-figures';
import type { Db } from '../db/client';
import { routeLabel } from '../metrics/labels';
import { createApiMetrics, type ApiMetrics } from '../metrics/registry';

/** The API's metrics over its own database: mailbox figures are read from it at scrape time. */
export function apiMetricsFor(db: Db, opts: Parameters<typeof createApiMetrics>[1] = {}): ApiMetrics {
  return createApiMetrics({ countMailboxes: () => countMailboxes(db), syncLagBuckets: (bounds) => syncLagBuckets(db, bounds) }, opts);
}

/**
 * Counts every answered request by its route pattern and status, and serves `GET /metrics` in
 * Prometheus text (README, "Metrics"). Installed before the routes, so its hook sees them all.
 */
export function installMetrics(app: FastifyInstance, metrics: ApiMetrics): void {
  app.addHook('onResponse', async (request, reply) => {
    const route = routeLabel(request.routeOptions.url);
    metrics.httpRequests.inc({ method: request.method, route, status: String(reply.statusCode) });
    metrics.httpDuration.observe({ method: request.method, route }, reply.elapsedTime / 1000);
  });
  // Unauthenticated like /healthz, for Prometheus; it holds counts only, never ids, addresses or secrets.
  app.get('/metrics', { config: { auth: 'none' }, schema: { hide: true, response: { 200: Type.String() } } }, async (_request, reply) => {
    const text = await metrics.registry.metrics();
    return reply.type(metrics.registry.contentType).send(text);
  });
}
