import type { FastifyPluginAsync } from 'fastify';
import { sql } from 'kysely';
import { Type } from 'typebox';
import { DatabaseUnavailableError } from '../../db/errors';
import type { AppDeps } from '../deps';

const Health = Type.Object({ status: Type.String(), checks: Type.Optional(Type.Record(Type.String(), Type.String())) });

export const healthRoutes =
  (deps: AppDeps): FastifyPluginAsync =>
  async (app) => {
    app.get('/healthz', { config: { auth: 'none' }, schema: { hide: true, response: { 200: Health } } }, async () => ({ status: 'ok' }));

    /** Ready when Postgres and Temporal both answer; the pool's connect timeout bounds the Postgres check. */
    app.get(
      '/readyz',
      { config: { auth: 'none' }, schema: { hide: true, response: { 200: Health, 503: Health } } },
      async (_request, reply) => {
        const checks: Record<string, string> = {};
        try {
          await sql`select 1`.execute(deps.db);
          checks.postgres = 'ok';
        } catch (err) {
          checks.postgres = err instanceof DatabaseUnavailableError ? `unavailable: ${err.reason}` : (err as Error).message;
        }
        try {
          await deps.temporal.connection.workflowService.getSystemInfo({});
          checks.temporal = 'ok';
        } catch (err) {
          checks.temporal = (err as Error).message;
        }
        const ok = Object.values(checks).every((v) => v === 'ok');
        return reply.code(ok ? 200 : 503).send({ status: ok ? 'ready' : 'not_ready', checks });
      },
    );
  };
