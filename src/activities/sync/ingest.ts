import type { DbOrTrx } from '../../db/client';
import type { AccountRow } from '../../db/schema';
import { decidedAmong } from '../../db/repositories/sync-decisions';
import { givenUpAmong } from '../../db/repositories/unreadable';
import { someEndpointWants } from '../../db/repositories/webhook-endpoints';
import type { FetchedMessage } from '../../providers/types';
import { decideMessage } from '../../rules';
import { applyDecisions, type AppliedDecision, type ApplyResult } from './apply';
import { loadBindings, loadDecisionInput, toMessageFacts } from './facts';

/** Of these provider ids, the ones this account has never decided (each message is decided once). */
export async function undecided(db: DbOrTrx, accountId: string, ids: string[]): Promise<string[]> {
  if (!ids.length) return [];
  const done = await decidedAmong(db, accountId, ids);
  // Given up as unreadable with no binding to record it in: decided all the same.
  const givenUp = await givenUpAmong(db, accountId, ids);
  return [...new Set(ids)].filter((id) => !done.has(id) && !givenUp.has(id));
}

/** Decides and applies a batch inside the caller's transaction (the one that also moves the cursor). */
export async function ingest(trx: DbOrTrx, account: AccountRow, fetched: FetchedMessage[]): Promise<ApplyResult & { applied: AppliedDecision[] }> {
  const totals = { synced: 0, matched: 0, skipped: 0, applied: [] as AppliedDecision[] };
  const bindings = await loadBindings(trx, account.id, account.provider);
  // Opt-in: one event per message not synced, per connection, is written only while an endpoint wants it.
  const emitSkipped = fetched.length > 0 && (await someEndpointWants(trx, 'decision.skipped'));
  for (const message of fetched) {
    const decisions = decideMessage(await loadDecisionInput(trx, account, bindings, toMessageFacts(account, message)));
    const applied = await applyDecisions(trx, account, message, decisions, { emitSkipped });
    totals.synced += applied.synced;
    totals.matched += applied.matched;
    totals.skipped += applied.skipped;
    totals.applied.push(...applied.applied);
  }
  return totals;
}
