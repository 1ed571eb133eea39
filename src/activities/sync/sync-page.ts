import { ApplicationFailure } from '@temporalio/common';
import { sql } from 'kysely';
import { findAccount } from '../../db/repositories/accounts';
import { appendEvent } from '../../db/repositories/events';
import type { AccountRow } from '../../db/schema';
import { classifyProviderError } from '../../providers/errors';
import { newMeter, type Cursor, type FetchedMessage, type MailboxAdapter } from '../../providers/types';
import { decideMessage } from '../../rules';
import type { ActivityDeps } from '../deps';
import { FailureType, toActivityFailure } from '../failures';
import type { MailboxFactory } from '../mailboxes';
import { applyDecisions } from './apply';
import { loadBindings, loadDecisionInput, toMessageFacts } from './facts';
import { readPage, reconcileCursor } from './page-source';

export interface SyncPageResult {
  more: boolean;
  seen: number;
  synced: number;
  matched: number;
  skipped: number;
  calls: number;
  units: number;
  reconciling: boolean;
}

/** Provider calls in flight per activity: under Gmail's per-user concurrent limit and Graph's 4 per mailbox. */
const FETCH_CONCURRENCY = 4;

async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
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

async function undecided(deps: ActivityDeps, accountId: string, ids: string[]): Promise<string[]> {
  if (!ids.length) return [];
  const rows = await deps.db
    .selectFrom('sync_decisions')
    .select('provider_message_id')
    .distinct()
    .where('account_id', '=', accountId)
    .where('provider_message_id', 'in', ids)
    .execute();
  const done = new Set(rows.map((r) => r.provider_message_id));
  return ids.filter((id) => !done.has(id));
}

/** One page: read ids, fetch the new ones, decide and store them with the next cursor in one transaction. */
export function createSyncPage(deps: ActivityDeps, openMailbox: MailboxFactory) {
  return async function syncPage(input: { accountId: string }): Promise<SyncPageResult> {
    const account = await findAccount(deps.db, input.accountId);
    if (!account) throw ApplicationFailure.create({ type: FailureType.Permanent, message: `account ${input.accountId} does not exist`, nonRetryable: true });
    const state = await deps.db.selectFrom('sync_state').selectAll().where('account_id', '=', account.id).executeTakeFirstOrThrow();
    const cursor = state.cursor as Cursor;
    const meter = newMeter();
    const mailbox = await openMailbox(account, meter);
    const result = (more: boolean, counts: Partial<SyncPageResult> = {}): SyncPageResult => ({
      more, seen: 0, synced: 0, matched: 0, skipped: 0, calls: meter.calls, units: meter.units, reconciling: cursor.mode === 'reconcile', ...counts,
    });

    try {
      if (Object.keys(cursor).length === 0) {
        await saveCursor(deps, account, cursor, await mailbox.currentCursor(), false);
        return result(false);
      }
      const page = await readPageOrReconcile(deps, account, mailbox, cursor, state);
      if (!page) return result(true, { reconciling: true });
      const ids = await undecided(deps, account.id, page.messageIds);
      const fetched = (await mapLimit(ids, FETCH_CONCURRENCY, (id) => mailbox.fetchMessage(id))).filter((m): m is FetchedMessage => m !== null);
      fetched.sort((a, b) => a.receivedAt.localeCompare(b.receivedAt));
      const counts = await deps.db.transaction().execute(async (trx) => {
        const totals = { synced: 0, matched: 0, skipped: 0 };
        if (!(await lockCursor(trx, account.id, cursor))) return null;
        const bindings = await loadBindings(trx, account.id, account.provider);
        for (const message of fetched) {
          const facts = toMessageFacts(account, message);
          const decisions = decideMessage(await loadDecisionInput(trx, account, bindings, facts));
          const applied = await applyDecisions(trx, account, message, decisions);
          totals.synced += applied.synced;
          totals.matched += applied.matched;
          totals.skipped += applied.skipped;
        }
        await writeCursor(trx, account.id, page.next, true);
        return totals;
      });
      if (!counts) return result(true);
      return result(page.more, { seen: page.messageIds.length, ...counts });
    } catch (err) {
      if (err instanceof ApplicationFailure) throw err;
      throw toActivityFailure(account.provider, err);
    }
  };
}

/** On an expired stream start: pin the current position first, then reconcile the window (never skip ahead). */
async function readPageOrReconcile(
  deps: ActivityDeps,
  account: AccountRow,
  mailbox: MailboxAdapter,
  cursor: Cursor,
  state: { last_synced_at: Date | null; baseline_at: Date },
) {
  try {
    return await readPage(mailbox, cursor);
  } catch (err) {
    if (classifyProviderError(account.provider, err, Date.now()).kind !== 'cursor_expired') throw err;
    const pinned = await mailbox.currentCursor();
    const next = reconcileCursor(pinned, state.last_synced_at, state.baseline_at);
    await deps.db.transaction().execute(async (trx) => {
      if (!(await lockCursor(trx, account.id, cursor))) return;
      await writeCursor(trx, account.id, next, false);
      await appendEvent(trx, { type: 'sync.cursor_expired', payload: { accountId: account.id, reconcileSince: next.since } });
    });
    return null;
  }
}

async function lockCursor(trx: ActivityDeps['db'], accountId: string, expected: Cursor): Promise<boolean> {
  const row = await trx.selectFrom('sync_state').select('cursor').where('account_id', '=', accountId).forUpdate().executeTakeFirstOrThrow();
  // Another attempt of this page already committed: leave its work alone.
  return JSON.stringify(row.cursor) === JSON.stringify(expected);
}

async function writeCursor(trx: ActivityDeps['db'], accountId: string, next: Cursor, synced: boolean): Promise<void> {
  await trx
    .updateTable('sync_state')
    .set({
      cursor: JSON.stringify(next),
      updated_at: sql`now()` as never,
      ...(synced ? { last_synced_at: sql`now()` as never, pages_applied: sql`pages_applied + 1` as never } : {}),
    })
    .where('account_id', '=', accountId)
    .execute();
}

async function saveCursor(deps: ActivityDeps, account: AccountRow, expected: Cursor, next: Cursor, synced: boolean): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    if (await lockCursor(trx, account.id, expected)) await writeCursor(trx, account.id, next, synced);
  });
}
