import type { DbOrTrx } from '../../db/client';
import type { AccountRow } from '../../db/schema';
import type { FetchedMessage, MailboxAdapter } from '../../providers/types';
import { decideMessage } from '../../rules';
import { applyDecisions, type ApplyResult } from './apply';
import { loadBindings, loadDecisionInput, toMessageFacts } from './facts';

/** Provider calls in flight per activity: under Gmail's per-user concurrent limit and Graph's 4 per mailbox. */
export const FETCH_CONCURRENCY = 4;

export async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!);
    }
  });
  await Promise.all(workers);
  return results;
}

/** Of these provider ids, the ones this account has never decided (each message is decided once). */
export async function undecided(db: DbOrTrx, accountId: string, ids: string[]): Promise<string[]> {
  if (!ids.length) return [];
  const rows = await db.selectFrom('sync_decisions').select('provider_message_id').distinct().where('account_id', '=', accountId).where('provider_message_id', 'in', ids).execute();
  const done = new Set(rows.map((r) => r.provider_message_id));
  return [...new Set(ids)].filter((id) => !done.has(id));
}

/**
 * Reads the messages whole, oldest first; messages deleted in between are left out. On the first
 * failure no further reads start, and what was read so far comes back with the error, so the caller
 * can keep that progress (the next attempt reads only what is still undecided).
 */
export async function fetchAll(mailbox: MailboxAdapter, ids: string[]): Promise<{ fetched: FetchedMessage[]; error: unknown }> {
  let error: unknown = null;
  const results = await mapLimit(ids, FETCH_CONCURRENCY, async (id) => {
    if (error) return null;
    try {
      return await mailbox.fetchMessage(id);
    } catch (err) {
      error ??= err;
      return null;
    }
  });
  const fetched = results.filter((m): m is FetchedMessage => m !== null).sort((a, b) => a.receivedAt.localeCompare(b.receivedAt));
  return { fetched, error };
}

/** Decides and applies a batch inside the caller's transaction (the one that also moves the cursor). */
export async function ingest(trx: DbOrTrx, account: AccountRow, fetched: FetchedMessage[]): Promise<ApplyResult> {
  const totals: ApplyResult = { synced: 0, matched: 0, skipped: 0 };
  const bindings = await loadBindings(trx, account.id, account.provider);
  for (const message of fetched) {
    const decisions = decideMessage(await loadDecisionInput(trx, account, bindings, toMessageFacts(account, message)));
    const applied = await applyDecisions(trx, account, message, decisions);
    totals.synced += applied.synced;
    totals.matched += applied.matched;
    totals.skipped += applied.skipped;
  }
  return totals;
}
