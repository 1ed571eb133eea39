import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ApiError, notFound } from '../errors';
import { normalizeMessageId } from '../../mime/message-id';
import { DEFAULT_LIMIT, pageOf, startAfter } from '../../pagination/cursor';
import { findConnection } from '../../db/repositories/connections';
import { listDecisions } from '../../db/repositories/sync-decisions';
import { explainReason } from '../../rules';
import type { AppDeps } from '../deps';
import { errorResponses, Id, NextCursor, PageQuery } from '../schemas';

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

/** Decision ids are Postgres bigints. */
const isDecisionId = (id: string) => /^[0-9]{1,19}$/.test(id) && BigInt(id) <= 9223372036854775807n;

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
          description:
            'Explain: why each provider message did or did not sync for this connection (rule id, reason, outcome), newest first. Narrow it to one message by `providerMessageId` or by its RFC `rfcMessageId` (the Message-ID header, with or without angle brackets).',
          params: Type.Object({ id: Id }),
          querystring: Type.Object(
            { providerMessageId: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })), rfcMessageId: Type.Optional(Type.String({ minLength: 1, maxLength: 998 })), ...PageQuery },
            { additionalProperties: false },
          ),
          response: { 200: Type.Object({ decisions: Type.Array(DecisionOut), nextCursor: NextCursor }), ...errorResponses },
        },
      },
      async (request) => {
        const connection = await findConnection(deps.db, request.params.id);
        if (!connection) throw notFound('connection', request.params.id);
        const { limit = DEFAULT_LIMIT, cursor, providerMessageId } = request.query;
        const rfcMessageId = request.query.rfcMessageId === undefined ? undefined : normalizeMessageId(request.query.rfcMessageId);
        if (rfcMessageId === null) throw new ApiError('VALIDATION_FAILED', 'querystring.rfcMessageId is not a Message-ID (<left@right>)', { fields: ['querystring.rfcMessageId'] });
        const list = `decisions:${connection.id}`;
        const before = startAfter(list, cursor);
        if (before && !isDecisionId(before.id)) throw new ApiError('VALIDATION_FAILED', 'querystring.cursor is not a cursor of this list', { fields: ['querystring.cursor'] });
        const rows = await listDecisions(deps.db, connection.id, { limit: limit + 1, beforeId: before?.id ?? null, providerMessageId, rfcMessageId });
        const page = pageOf(list, rows, limit, (r) => ({ key: '', id: r.id }));
        return {
          nextCursor: page.nextCursor,
          decisions: page.items.map((r) => {
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
