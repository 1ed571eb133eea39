import { sql } from 'kysely';
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

/** Of these provider ids, the ones this account has decided for at least one connection. */
export async function decidedAmong(db: DbOrTrx, accountId: string, ids: string[]): Promise<Set<string>> {
  const rows = await db.selectFrom('sync_decisions').select('provider_message_id').distinct().where('account_id', '=', accountId).where('provider_message_id', 'in', ids).execute();
  return new Set(rows.map((r) => r.provider_message_id));
}

/** A connection's decisions, newest first; optionally those about one provider message. */
export async function listDecisions(db: DbOrTrx, connectionId: string, opts: { limit: number; providerMessageId?: string | undefined }) {
  let query = db.selectFrom('sync_decisions').selectAll().where('connection_id', '=', connectionId).orderBy('id', 'desc').limit(opts.limit);
  if (opts.providerMessageId) query = query.where('provider_message_id', '=', opts.providerMessageId);
  return query.execute();
}
