import { sql } from 'kysely';
import { setAccountStatus } from '../db/repositories/accounts';
import { setConnectionsStatus } from '../db/repositories/connections';
import { appendEvent } from '../db/repositories/events';
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
        const connections = await trx.selectFrom('connections').select(['id', 'location_id']).where('account_id', '=', input.accountId).where('status', '=', 'needs_reauth').execute();
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
      await deps.db
        .updateTable('messages')
        .set({ send_status: 'failed', send_error: input.reason, updated_at: sql`now()` as never })
        .where('id', '=', input.messageId)
        .where('send_status', 'in', ['pending', 'unknown'])
        .execute();
    },

    /** The provider's answer to a send was lost: not failed, not sent, until the Message-ID lookup settles it. */
    async markSendUnknown(input: { messageId: string; reason: string }): Promise<void> {
      await deps.db
        .updateTable('messages')
        .set({ send_status: 'unknown', send_error: input.reason, updated_at: sql`now()` as never })
        .where('id', '=', input.messageId)
        .where('send_status', 'in', ['pending', 'unknown'])
        .execute();
    },
  };
}
