import type { DbOrTrx } from '../../db/client';
import type { AccountRow } from '../../db/schema';
import { decidedAmong } from '../../db/repositories/sync-decisions';
import { givenUpAmong } from '../../db/repositories/unreadable';
import { someEndpointWants } from '../../db/repositories/webhook-endpoints';
import type { FetchedMessage } from '../../providers/types';
import { decideMessage } from '../../rules';
import { emptyPlan, planDecisions, type AppliedDecision, type ApplyResult } from './apply';
import { loadBindings, toMessageFacts } from './facts';
import { loadPageWorld } from './page-facts';
import { decisionInputFor } from './page-world';
import { writePlan } from './page-writes';

/** Of these provider ids, the ones this account has never decided (each message is decided once). */
export async function undecided(db: DbOrTrx, accountId: string, ids: string[]): Promise<string[]> {
  if (!ids.length) return [];
  const done = await decidedAmong(db, accountId, ids);
  // Given up as unreadable with no binding to record it in: decided all the same.
  const givenUp = await givenUpAmong(db, accountId, ids);
  return [...new Set(ids)].filter((id) => !done.has(id) && !givenUp.has(id));
}

/**
 * Decides and applies a batch inside the caller's transaction (the one that also moves the cursor): the
 * rows the decisions read are loaded for the whole batch at once, each message is decided against them
 * and what the messages before it decided (page-world.ts), and the writes go in multi-row statements.
 */
export async function ingest(trx: DbOrTrx, account: AccountRow, fetched: FetchedMessage[]): Promise<ApplyResult & { applied: AppliedDecision[] }> {
  if (fetched.length === 0) return { synced: 0, matched: 0, skipped: 0, applied: [] };
  const bindings = await loadBindings(trx, account.id, account.provider);
  // Opt-in: one event per message not synced, per connection, is written only while an endpoint wants it.
  const emitSkipped = await someEndpointWants(trx, 'decision.skipped');
  const facts = fetched.map((message) => toMessageFacts(account, message));
  const world = await loadPageWorld(trx, account, bindings, facts);
  const plan = emptyPlan();
  fetched.forEach((message, i) => planDecisions(world, plan, account, message, decideMessage(decisionInputFor(world, facts[i]!)), { emitSkipped }));
  const synced = await writePlan(trx, account.id, plan);
  return { synced, matched: plan.matched, skipped: plan.skipped, applied: plan.applied };
}
