import type { DbOrTrx } from '../client';
import type { UnreadableKind } from '../schema';

/** A message's failed-read count so far (see activities/sync/unreadable-policy.ts). */
export interface FailureCount {
  attempts: number;
  /** Epoch ms of the last failure that was counted. */
  lastCountedAt: number;
}

/** Counts of these messages, locked for the caller's transaction. */
export async function lockFailureCounts(db: DbOrTrx, accountId: string, ids: string[]): Promise<Map<string, FailureCount>> {
  if (!ids.length) return new Map();
  const rows = await db
    .selectFrom('unreadable_messages')
    .select(['provider_message_id', 'attempts', 'last_counted_at'])
    .where('account_id', '=', accountId)
    .where('provider_message_id', 'in', ids)
    .forUpdate()
    .execute();
  return new Map(rows.map((r) => [r.provider_message_id, { attempts: r.attempts, lastCountedAt: r.last_counted_at.getTime() }]));
}

export async function saveFailure(
  db: DbOrTrx,
  f: { accountId: string; providerMessageId: string; count: FailureCount; at: Date; kind: UnreadableKind; error: string },
): Promise<void> {
  const values = { attempts: f.count.attempts, last_counted_at: new Date(f.count.lastCountedAt), last_failed_at: f.at, last_kind: f.kind, last_error: f.error };
  await db
    .insertInto('unreadable_messages')
    .values({ account_id: f.accountId, provider_message_id: f.providerMessageId, first_failed_at: f.at, ...values })
    .onConflict((oc) => oc.columns(['account_id', 'provider_message_id']).doUpdateSet(values))
    .execute();
}

export async function markGivenUp(db: DbOrTrx, accountId: string, providerMessageId: string, at: Date): Promise<void> {
  await db.updateTable('unreadable_messages').set({ decided_at: at }).where('account_id', '=', accountId).where('provider_message_id', '=', providerMessageId).execute();
}

/** Of these ids, the ones already given up as unreadable. */
export async function givenUpAmong(db: DbOrTrx, accountId: string, ids: string[]): Promise<Set<string>> {
  if (!ids.length) return new Set();
  const rows = await db
    .selectFrom('unreadable_messages')
    .select('provider_message_id')
    .where('account_id', '=', accountId)
    .where('provider_message_id', 'in', ids)
    .where('decided_at', 'is not', null)
    .execute();
  return new Set(rows.map((r) => r.provider_message_id));
}
