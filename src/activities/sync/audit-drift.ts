import { ApplicationFailure } from '@temporalio/common';
import { sql } from 'kysely';
import { findAccount } from '../../db/repositories/accounts';
import { appendEvent } from '../../db/repositories/events';
import { FailureType } from '../../failure-type';
import type { Cursor } from '../../providers/types';
import { attemptMeter } from '../heartbeat';
import type { ActivityDeps } from '../deps';
import { providerFailure } from '../failures';
import type { MailboxFactory } from '../mailboxes';
import { ingestIds } from './ingest-ids';

export interface DriftAuditResult {
  checked: number;
  /** Messages the provider holds in the window that had never been decided: drift, now healed. */
  healed: number;
  /** Messages given up as unreadable in this run (decided skipped, reason `unreadable`). */
  unreadable: number;
  units: number;
}

/** Ids the audit reads at most per run; a larger window is covered by the next runs. */
const MAX_IDS = 2_000;

/**
 * The scheduled audit: what the provider holds in a recent window, against what was decided. Messages
 * never decided (a lost notification, a restored database) are decided now, and the drift is counted.
 * Messages younger than `settleMs` are left to the change stream, which is probably still on its way.
 */
export function createAuditDrift(deps: ActivityDeps, openMailbox: MailboxFactory) {
  return async function auditDrift(input: { accountId: string; windowMs: number; settleMs: number }): Promise<DriftAuditResult> {
    const account = await findAccount(deps.db, input.accountId);
    if (!account) throw ApplicationFailure.create({ type: FailureType.Permanent, message: `account ${input.accountId} does not exist`, nonRetryable: true });
    const state = await deps.db.selectFrom('sync_state').selectAll().where('account_id', '=', account.id).executeTakeFirstOrThrow();
    const cursor = state.cursor as Cursor;
    const meter = attemptMeter();
    if (Object.keys(cursor).length === 0 || cursor.mode === 'reconcile') return { checked: 0, healed: 0, unreadable: 0, units: 0 };
    const now = deps.clock.now().getTime();
    const since = new Date(Math.max(state.baseline_at.getTime(), now - input.windowMs)).toISOString();
    try {
      const mailbox = await openMailbox(account, meter);
      const ids: string[] = [];
      let pageToken: string | null = null;
      do {
        const page = await mailbox.listReceivedSince(since, pageToken);
        ids.push(...page.messageIds);
        pageToken = page.nextPageToken;
      } while (pageToken && ids.length < MAX_IDS);
      let healed = 0;
      const run = await ingestIds(deps, account, mailbox, ids, {
        // Pages of the change stream and the audit take the account's sync row in turn.
        lock: async (trx) => Boolean(await trx.selectFrom('sync_state').select('account_id').where('account_id', '=', account.id).forUpdate().executeTakeFirst()),
        accept: (m) => Date.parse(m.receivedAt) < now - input.settleMs,
        afterChunk: async (trx, settled) => {
          if (settled.length === 0) return;
          healed += settled.length;
          await trx.updateTable('sync_state').set({ drift_found: sql`drift_found + ${settled.length}` as never, updated_at: sql`now()` as never }).where('account_id', '=', account.id).execute();
          await appendEvent(trx, { type: 'sync.drift_healed', payload: { accountId: account.id, healed: settled.length, providerMessageIds: settled.map((m) => m.providerMessageId) } });
        },
      });
      if (run.error) throw run.error;
      return { checked: ids.length, healed, unreadable: run.totals.unreadable, units: meter.units };
    } catch (err) {
      if (err instanceof ApplicationFailure) throw err;
      throw providerFailure(deps, account.provider, err);
    }
  };
}
