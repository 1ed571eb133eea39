import { findAccount, setAccountStatus } from '../db/repositories/accounts';
import { listConnectionsWithStatus, listLiveConnections, setConnectionsStatus } from '../db/repositories/connections';
import { appendEvent, appendSendFailed, appendStatusChanged } from '../db/repositories/events';
import { markSendFailed, markSendUnknown } from '../db/repositories/messages';
import type { AccountStatus } from '../db/schema';
import type { ActivityDeps } from './deps';

export function accountActivities(deps: ActivityDeps) {
  return {
    /** Mirrors the workflow's status into Postgres, where the API and the CRM read it. */
    async recordAccountStatus(input: { accountId: string; status: AccountStatus; reason?: string }): Promise<void> {
      const previous = await deps.db.transaction().execute(async (trx) => {
        const previous = await findAccount(trx, input.accountId);
        await setAccountStatus(trx, input.accountId, input.status);
        if (input.status === 'active') await setConnectionsStatus(trx, input.accountId, 'needs_reauth', 'active');
        // Disconnected connections were told by their own DELETE; the others see the mailbox's new status.
        if (previous && previous.status !== input.status && input.status !== 'disconnected') {
          await appendStatusChanged(trx, await listLiveConnections(trx, input.accountId), { status: input.status, previousStatus: previous.status, reason: input.reason ?? null });
        }
        return previous;
      });
      if (previous && previous.status !== 'backing_off' && input.status === 'backing_off') deps.metrics?.backoffs.inc({ provider: previous.provider });
    },

    /** R19: the provider refused the credentials; connections show it and the CRM is told. */
    async reportNeedsReauth(input: { accountId: string; reason: string }): Promise<void> {
      await deps.db.transaction().execute(async (trx) => {
        await setAccountStatus(trx, input.accountId, 'needs_reauth');
        await setConnectionsStatus(trx, input.accountId, 'active', 'needs_reauth');
        const connections = await listConnectionsWithStatus(trx, input.accountId, 'needs_reauth');
        await appendStatusChanged(trx, connections, { status: 'needs_reauth', previousStatus: 'active', reason: input.reason });
        for (const c of connections) {
          await appendEvent(trx, {
            type: 'connection.needs_reauth',
            locationId: c.location_id,
            connectionId: c.id,
            payload: { connectionId: c.id, reason: input.reason },
          });
        }
      });
    },

    async markSendFailed(input: { messageId: string; reason: string }): Promise<void> {
      await deps.db.transaction().execute(async (trx) => {
        const failed = await markSendFailed(trx, input.messageId, input.reason);
        if (failed) await appendSendFailed(trx, failed, input.reason);
      });
    },

    /** The provider's answer to a send was lost: not failed, not sent, until the Message-ID lookup settles it. */
    async markSendUnknown(input: { messageId: string; reason: string }): Promise<void> {
      await markSendUnknown(deps.db, input.messageId, input.reason);
    },
  };
}
