import type { DbOrTrx } from '../../db/client';
import { appendEvent } from '../../db/repositories/events';
import { recordDecision } from '../../db/repositories/sync-decisions';
import { lockFailureCounts, markGivenUp, saveFailure } from '../../db/repositories/unreadable';
import type { AccountRow, UnreadableKind } from '../../db/schema';
import { REASONS } from '../../rules/reasons';
import { loadBindings } from './facts';
import type { IngestSettings } from './memory-bound';
import { countFailure, isGivenUp } from './unreadable-policy';

export interface MessageFailure {
  providerMessageId: string;
  kind: UnreadableKind;
  reason: string;
  /** What was thrown, to rethrow while the message is not yet given up. */
  error: unknown;
}

export interface FailureOutcome {
  /** Decided skipped / unreadable now: the cursor may move past them. */
  givenUp: string[];
  /** Counted but under the limit: the page is read again. */
  pending: (MessageFailure & { attempts: number })[];
}

/** Counts each failure (inside the page's transaction) and decides the messages that reached the limit. */
export async function recordFailures(trx: DbOrTrx, account: AccountRow, failures: MessageFailure[], at: Date, settings: IngestSettings): Promise<FailureOutcome> {
  const outcome: FailureOutcome = { givenUp: [], pending: [] };
  const counts = await lockFailureCounts(trx, account.id, failures.map((f) => f.providerMessageId));
  for (const f of failures) {
    const count = countFailure(counts.get(f.providerMessageId) ?? null, at.getTime(), settings);
    await saveFailure(trx, { accountId: account.id, providerMessageId: f.providerMessageId, count, at, kind: f.kind, error: f.reason });
    if (!isGivenUp(count, settings)) {
      outcome.pending.push({ ...f, attempts: count.attempts });
      continue;
    }
    await giveUp(trx, account, f, count.attempts, at);
    outcome.givenUp.push(f.providerMessageId);
  }
  return outcome;
}

/** Skipped with reason `unreadable` in every binding, like any other decision, and told to the CRM. */
async function giveUp(trx: DbOrTrx, account: AccountRow, f: MessageFailure, attempts: number, at: Date): Promise<void> {
  await markGivenUp(trx, account.id, f.providerMessageId, at);
  const bindings = await loadBindings(trx, account.id, account.provider);
  const { ruleId } = REASONS.unreadable;
  const payload = { accountId: account.id, providerMessageId: f.providerMessageId, attempts, kind: f.kind, error: f.reason, ruleId };
  for (const b of bindings) {
    const decision = { connectionId: b.connectionId, locationId: b.locationId, ruleId, reason: 'unreadable', outcome: 'skipped' } as const;
    await recordDecision(trx, account.id, f.providerMessageId, decision, null, { notes: [], direction: null, rfcMessageId: null, subject: null, attempts, kind: f.kind, error: f.reason });
    await appendEvent(trx, { type: 'message.unreadable', locationId: b.locationId, connectionId: b.connectionId, payload });
  }
  if (!bindings.length) await appendEvent(trx, { type: 'message.unreadable', payload });
}
