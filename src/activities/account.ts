import { setAccountStatus } from '../db/repositories/accounts';
import { listConnectionsWithStatus, setConnectionsStatus } from '../db/repositories/connections';
import { appendEvent } from '../db/repositories/events';
import { markSendFailed, markSendUnknown } from '../db/repositories/messages';
import type { AccountStatus } from '../db/schema';
import type { ActivityDeps } from './deps';

export function accountActivities(deps: ActivityDeps) {
  return {
    /** Mirrors the workflow's status into Postgres, where the API and the CRM read it. */
    async recordAccountStatus(input: { accountId: string; status: AccountStatus }): Promise<void> {
      await deps.db.transaction().execute(async (trx) => {
        await setAccountStatus(trx, input.accountId, input.status);
        if (input.status === 'active') await setConnectionsStatus(trx, input.accountId, 'needs_reauth', 'active');
      });
    },

    /** R19: the provider refused the credentials; connections show it and the CRM is told. */
    async reportNeedsReauth(input: { accountId: string; reason: string }): Promise<void> {
      await deps.db.transaction().execute(async (trx) => {
        await setAccountStatus(trx, input.accountId, 'needs_reauth');
        await setConnectionsStatus(trx, input.accountId, 'active', 'needs_reauth');
        const connections = await listConnectionsWithStatus(trx, input.accountId, 'needs_reauth');
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
      await markSendFailed(deps.db, input.messageId, input.reason);
    },

    /** The provider's answer to a send was lost: not failed, not sent, until the Message-ID lookup settles it. */
    async markSendUnknown(input: { messageId: string; reason: string }): Promise<void> {
      await markSendUnknown(deps.db, input.messageId, input.reason);
    },
  };
}
