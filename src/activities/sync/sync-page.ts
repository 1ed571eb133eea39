import { asyncLocalStorage } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { sql } from 'kysely';
import { findAccount } from '../../db/repositories/accounts';
import { appendEvent } from '../../db/repositories/events';
import type { AccountRow } from '../../db/schema';
import { FailureType } from '../../failure-type';
import { classifyProviderError } from '../../providers/errors';
import type { Cursor, MailboxAdapter } from '../../providers/types';
import { attemptMeter } from '../heartbeat';
import type { ActivityDeps } from '../deps';
import { providerFailure } from '../failures';
import type { MailboxFactory } from '../mailboxes';
import { applyUpdates } from './apply-updates';
import { ingestIds } from './ingest-ids';
import { locateUpdates } from './locate-updates';
import { readPage, reconcileCursor } from './page-source';

export interface SyncPageResult {
  more: boolean;
  seen: number;
  synced: number;
  matched: number;
  skipped: number;
  /** Messages given up as unreadable in this page (decided skipped, reason `unreadable`). */
  unreadable: number;
  calls: number;
  units: number;
  reconciling: boolean;
}

/** One page: read ids, fetch the new ones, decide and store them with the next cursor in one transaction. */
export function createSyncPage(deps: ActivityDeps, openMailbox: MailboxFactory) {
  return async function syncPage(input: { accountId: string }): Promise<SyncPageResult> {
    const account = await findAccount(deps.db, input.accountId);
    if (!account) throw ApplicationFailure.create({ type: FailureType.Permanent, message: `account ${input.accountId} does not exist`, nonRetryable: true });
    const state = await deps.db.selectFrom('sync_state').selectAll().where('account_id', '=', account.id).executeTakeFirstOrThrow();
    const cursor = state.cursor as Cursor;
    const meter = attemptMeter();
    const mailbox = await openMailbox(account, meter);
    const result = (more: boolean, counts: Partial<SyncPageResult> = {}): SyncPageResult => ({
      more, seen: 0, synced: 0, matched: 0, skipped: 0, unreadable: 0, calls: meter.calls, units: meter.units, reconciling: cursor.mode === 'reconcile', ...counts,
    });

    try {
      if (Object.keys(cursor).length === 0) {
        // First sync: mail may have arrived since connect, before this page ran (retries, 429s, a slow
        // worker). Pin the stream's position now, then read what was received since the baseline (the
        // first connect time) before following the stream, so nothing received after connect is lost.
        const first = reconcileCursor(await mailbox.currentCursor(), null, state.baseline_at, 0);
        await saveCursor(deps, account, cursor, first, false);
        return result(true, { reconciling: true });
      }
      const page = await readPageOrReconcile(deps, account, mailbox, cursor, state);
      if (!page) return result(true, { reconciling: true });
      const updates = await locateUpdates(deps, account, mailbox, page.updates ?? []);
      const run = await ingestIds(deps, account, mailbox, page.messageIds, {
        lock: (trx) => lockCursor(trx, account.id, cursor),
        // Only once every id is decided (stored, skipped, or given up as unreadable) does the cursor move;
        // a failed read keeps it where it is: the page is read again, minus what was decided now.
        finish: async (trx) => {
          await applyUpdates(trx, account.id, updates, 'mailbox', deps.clock.now());
          await writeCursor(trx, account.id, page.next, true);
        },
      });
      if (run.error) throw run.error;
      if (!run.applied) return result(true);
      const done = result(page.more, { seen: page.messageIds.length, ...run.totals });
      const { seen, synced, matched, skipped, unreadable, more } = done;
      // The activity's logger; none when called outside an activity (the bench's raw pipeline).
      asyncLocalStorage.getStore()?.log[seen > 0 ? 'info' : 'debug']('sync page applied', { seen, synced, matched, skipped, unreadable, more });
      return done;
    } catch (err) {
      if (err instanceof ApplicationFailure) throw err;
      throw providerFailure(deps, account.provider, err);
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
