import type { DbOrTrx } from '../../db/client';
import type { AccountRow } from '../../db/schema';
import type { FetchedMessage, MailboxAdapter } from '../../providers/types';
import type { ActivityDeps } from '../deps';
import { unreadableSoFarFailure } from '../failures';
import { REASONS } from '../../rules/reasons';
import type { AppliedDecision, ApplyResult } from './apply';
import { ingest, undecided } from './ingest';
import { DEFAULT_INGEST_SETTINGS } from './memory-bound';
import { readChunk } from './read-chunk';
import { recordFailures, type FailureOutcome } from './unreadable';
import { countable } from './unreadable-policy';

export interface IngestTotals extends ApplyResult {
  /** Given up in this run: decided skipped / unreadable. */
  unreadable: number;
}

export interface IngestRun {
  /** False when another attempt had moved on first (the lock said so): nothing more was written. */
  applied: boolean;
  totals: IngestTotals;
  /** Why not every id is decided: a failure about the mailbox, or messages still failing under the limit. */
  error: unknown;
}

export interface IngestHooks {
  /** First in each chunk's transaction; false when another attempt already moved on. */
  lock(trx: DbOrTrx): Promise<boolean>;
  /** Which read messages to decide now (the audit leaves young ones to the change stream). */
  accept?(message: FetchedMessage): boolean;
  afterChunk?(trx: DbOrTrx, decided: FetchedMessage[]): Promise<void>;
  /** In the last chunk's transaction, once every id is decided (e.g. the cursor moves). */
  finish?(trx: DbOrTrx): Promise<void>;
}

/**
 * Reads, decides and stores the undecided ids chunk by chunk, each chunk within the read memory
 * bound and in its own transaction; messages that fail are counted and, at the limit, decided
 * unreadable, while the others are stored.
 */
export async function ingestIds(deps: ActivityDeps, account: AccountRow, mailbox: MailboxAdapter, ids: string[], hooks: IngestHooks): Promise<IngestRun> {
  const settings = deps.ingest ?? DEFAULT_INGEST_SETTINGS;
  const totals: IngestTotals = { synced: 0, matched: 0, skipped: 0, unreadable: 0 };
  const failing: FailureOutcome['pending'] = [];
  let pending = await undecided(deps.db, account.id, ids);
  let read = 0;
  for (;;) {
    const chunk = await readChunk(mailbox, pending, settings, () => deps.clock.now().getTime());
    read += chunk.fetched.length;
    const counts = countable(chunk.failures, read);
    const last = chunk.rest.length === 0 || chunk.mailboxError !== null;
    const committed: AppliedDecision[] = [];
    const applied = await deps.db.transaction().execute(async (trx) => {
      if (!(await hooks.lock(trx))) return false;
      // Another attempt (a retry whose first try is still running, or the audit) may have decided some of
      // these since `pending` was read: deciding them again would find them stored and record a duplicate.
      const open = new Set(await undecided(trx, account.id, chunk.fetched.map((m) => m.providerMessageId)));
      const decided = chunk.fetched.filter((m) => open.has(m.providerMessageId) && (hooks.accept?.(m) ?? true));
      const result = await ingest(trx, account, decided);
      add(totals, result);
      await hooks.afterChunk?.(trx, decided);
      const outcome = await recordFailures(trx, account, chunk.failures.filter((_, i) => counts[i]), deps.clock.now(), settings);
      totals.unreadable += outcome.givenUp.length;
      committed.push(...result.applied, ...outcome.givenUp.map(() => ({ ruleId: REASONS.unreadable.ruleId, outcome: 'skipped' as const })));
      // An outage's failures are not counted, and keep the page from completing all the same.
      failing.push(...outcome.pending, ...chunk.failures.filter((_, i) => !counts[i]).map((f) => ({ ...f, attempts: 0 })));
      if (last && chunk.mailboxError === null && failing.length === 0) await hooks.finish?.(trx);
      return true;
    });
    if (!applied) return { applied: false, totals, error: null };
    countDecisions(deps, account, committed);
    if (chunk.mailboxError !== null) return { applied: true, totals, error: chunk.mailboxError };
    if (chunk.rest.length === 0) break;
    pending = chunk.rest;
  }
  const error = failing.length ? unreadableSoFarFailure(mailbox.provider, failing, settings.unreadableAttempts) : null;
  return { applied: true, totals, error };
}

function countDecisions({ metrics }: ActivityDeps, account: AccountRow, committed: AppliedDecision[]): void {
  for (const d of committed) metrics?.messagesDecided.inc({ provider: account.provider, outcome: d.outcome, rule_id: d.ruleId });
}

function add(totals: IngestTotals, applied: ApplyResult): void {
  totals.synced += applied.synced;
  totals.matched += applied.matched;
  totals.skipped += applied.skipped;
}
