import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { notFound } from '../errors';
import { findConnection } from '../../db/repositories/connections';
import { listDecisions } from '../../db/repositories/sync-decisions';
import { explainReason } from '../../rules';
import type { AppDeps } from '../deps';
import { errorResponses, Id } from '../schemas';

const DecisionOut = Type.Object({
  providerMessageId: Type.String(),
  ruleId: Type.String(),
  reason: Type.String(),
  explanation: Type.String(),
  outcome: Type.String(),
  messageId: Type.Union([Type.String(), Type.Null()]),
  subject: Type.Union([Type.String(), Type.Null()]),
  notes: Type.Array(Type.Object({ ruleId: Type.String(), reason: Type.String(), explanation: Type.String() })),
  decidedAt: Type.String(),
});

export const decisionRoutes =
  (deps: AppDeps): FastifyPluginAsync =>
  async (base) => {
    const app = base.withTypeProvider<TypeBoxTypeProvider>();
    app.get(
      '/v1/connections/:id/decisions',
      {
        config: { auth: 'apiKey' },
        schema: {
          tags: ['connections'],
          description: 'Explain: why each provider message did or did not sync for this connection (rule id, reason, outcome).',
          params: Type.Object({ id: Id }),
          querystring: Type.Object(
            { providerMessageId: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })) },
            { additionalProperties: false },
          ),
          response: { 200: Type.Object({ decisions: Type.Array(DecisionOut) }), ...errorResponses },
        },
      },
      async (request) => {
        const connection = await findConnection(deps.db, request.params.id);
        if (!connection) throw notFound('connection', request.params.id);
        const rows = await listDecisions(deps.db, connection.id, { limit: request.query.limit ?? 100, providerMessageId: request.query.providerMessageId });
        return {
          decisions: rows.map((r) => {
            const detail = r.detail as { notes?: { ruleId: string; reason: string }[]; subject?: string };
            return {
              providerMessageId: r.provider_message_id,
              ruleId: r.rule_id,
              reason: r.reason,
              explanation: explainReason(r.reason)?.text ?? r.reason,
              outcome: r.outcome,
              messageId: r.message_id,
              subject: detail.subject ?? null,
              notes: (detail.notes ?? []).map((n) => ({ ...n, explanation: explainReason(n.reason)?.text ?? n.reason })),
              decidedAt: r.decided_at.toISOString(),
            };
          }),
        };
      },
    );
  };
