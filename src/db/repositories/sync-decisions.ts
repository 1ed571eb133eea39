import { sql } from 'kysely';
import { inBatches } from '../batches';
import type { DbOrTrx } from '../client';
import type { DecisionOutcome } from '../schema';

export interface DecisionRecord {
  connectionId: string;
  locationId: string;
  ruleId: string;
  reason: string;
  outcome: DecisionOutcome;
}

/** Stores one decision; `detail` is what the explain API shows besides rule and reason (notes, subject). */
export async function recordDecision(
  db: DbOrTrx,
  accountId: string,
  providerMessageId: string,
  d: DecisionRecord,
  messageId: string | null,
  detail: Record<string, unknown>,
): Promise<void> {
  const values = { rule_id: d.ruleId, reason: d.reason, outcome: d.outcome, message_id: messageId, detail: JSON.stringify(detail) };
  await db
    .insertInto('sync_decisions')
    .values({ account_id: accountId, provider_message_id: providerMessageId, connection_id: d.connectionId, location_id: d.locationId, ...values })
    .onConflict((oc) => oc.columns(['account_id', 'provider_message_id', 'connection_id']).doUpdateSet({ ...values, decided_at: sql`now()` as never }))
    .execute();
}

export interface DecisionRow {
  providerMessageId: string;
  decision: DecisionRecord;
  messageId: string | null;
  detail: Record<string, unknown>;
}

/**
 * Stores a page's decisions in one statement per slice. A later decision about the same message and
 * connection replaces an earlier one, as `recordDecision` one after the other would.
 */
export async function recordDecisions(db: DbOrTrx, accountId: string, rows: DecisionRow[]): Promise<void> {
  const last = new Map<string, DecisionRow>();
  for (const r of rows) last.set(`${r.providerMessageId}\u0000${r.decision.connectionId}`, r);
  await inBatches([...last.values()], 1000, async (slice) => {
    await db
      .insertInto('sync_decisions')
      .values(
        slice.map(({ providerMessageId, decision: d, messageId, detail }) => ({
          account_id: accountId, provider_message_id: providerMessageId, connection_id: d.connectionId, location_id: d.locationId,
          rule_id: d.ruleId, reason: d.reason, outcome: d.outcome, message_id: messageId, detail: JSON.stringify(detail),
        })),
      )
      .onConflict((oc) =>
        oc.columns(['account_id', 'provider_message_id', 'connection_id']).doUpdateSet((eb) => ({
          rule_id: eb.ref('excluded.rule_id'),
          reason: eb.ref('excluded.reason'),
          outcome: eb.ref('excluded.outcome'),
          message_id: eb.ref('excluded.message_id'),
          detail: eb.ref('excluded.detail'),
          decided_at: sql`now()` as never,
        })),
      )
      .execute();
  });
}

/** Reasons that do not settle a message: a draft that is sent, or mail moved out of Spam or Trash, is decided again (R23). */
export const PROVISIONAL_REASONS = ['draft', 'junk'] as const;

/** Of these provider ids, the ones this account has decided for good for at least one connection. */
export async function decidedAmong(db: DbOrTrx, accountId: string, ids: string[]): Promise<Set<string>> {
  const rows = await db
    .selectFrom('sync_decisions')
    .select('provider_message_id')
    .distinct()
    .where('account_id', '=', accountId)
    .where('provider_message_id', 'in', ids)
    .where('reason', 'not in', [...PROVISIONAL_REASONS])
    .execute();
  return new Set(rows.map((r) => r.provider_message_id));
}

/** A connection's decisions, newest first (id descending), before a cursor id; optionally about one provider message or one RFC Message-ID. */
export async function listDecisions(db: DbOrTrx, connectionId: string, opts: { limit: number; beforeId: string | null; providerMessageId?: string | undefined; rfcMessageId?: string | undefined }) {
  let query = db.selectFrom('sync_decisions').selectAll().where('connection_id', '=', connectionId).orderBy('id', 'desc').limit(opts.limit);
  if (opts.providerMessageId) query = query.where('provider_message_id', '=', opts.providerMessageId);
  if (opts.rfcMessageId) query = query.where(sql<string>`detail->>'rfcMessageId'`, '=', opts.rfcMessageId);
  if (opts.beforeId !== null) query = query.where('id', '<', opts.beforeId);
  return query.execute();
}
