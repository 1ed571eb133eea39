import type { Client } from '@temporalio/client';
import { NotFound } from '../domain-errors';
import type { Db, DbOrTrx } from '../db/client';
import type { ConnectionRow } from '../db/schema';
import { findAccount } from '../db/repositories/accounts';
import { findConnection } from '../db/repositories/connections';
import { countSendsSince } from '../db/repositories/messages';
import type { Provider } from '../provider';
import { stateQuery } from '../workflows/definitions';
import { mailboxWorkflowId, type MailboxState } from '../workflows/state';

export interface ConnectionView {
  id: string;
  locationId: string;
  userId: string;
  provider: Provider;
  accountId: string;
  address: string;
  status: 'active' | 'needs_reauth' | 'disconnected';
  bccAddress: string;
  connectedAt: string;
  disconnectedAt: string | null;
  workflowId: string;
  sync: {
    status: string;
    cursor: Record<string, unknown>;
    lastSyncAt: string | null;
    backoffUntil: string | null;
    lastError: { kind: string; reason: string; at: string } | null;
    driftFound: number;
  };
  sendsLast24h: number;
  dailySendLimit: number;
}

async function queryState(client: Client, workflowId: string): Promise<MailboxState | null> {
  try {
    return await client.workflow.getHandle(workflowId).query(stateQuery);
  } catch {
    // No running workflow (or no worker to answer): the database answers instead.
    return null;
  }
}

export async function viewConnection(deps: { db: Db; temporal: Client }, id: string): Promise<ConnectionView> {
  const connection = await findConnection(deps.db, id);
  if (!connection) throw new NotFound('connection', id);
  const workflowId = mailboxWorkflowId(connection.provider, connection.account_id);
  const state = connection.status === 'disconnected' ? null : await queryState(deps.temporal, workflowId);
  return toView(deps.db, connection, state);
}

/**
 * A connection as its row and the database tell it; `state` (the workflow's own, when it answered a
 * query) adds the live backoff deadline and last error.
 */
export async function toView(db: DbOrTrx, connection: ConnectionRow, state: MailboxState | null): Promise<ConnectionView> {
  const account = await findAccount(db, connection.account_id);
  if (!account) throw new NotFound('account', connection.account_id);
  const syncRow = await db.selectFrom('sync_state').selectAll().where('account_id', '=', account.id).executeTakeFirst();
  const workflowId = mailboxWorkflowId(account.provider, account.id);
  const sends = await countSendsSince(db, account.id, new Date(Date.now() - 86_400_000));
  return {
    id: connection.id,
    locationId: connection.location_id,
    userId: connection.user_id,
    provider: connection.provider,
    accountId: account.id,
    address: account.address,
    status: connection.status,
    bccAddress: connection.bcc_address,
    connectedAt: connection.connected_at.toISOString(),
    disconnectedAt: connection.disconnected_at?.toISOString() ?? null,
    workflowId,
    sync: {
      status: connection.status === 'disconnected' ? 'disconnected' : (state?.status ?? account.status),
      cursor: syncRow?.cursor ?? {},
      lastSyncAt: syncRow?.last_synced_at?.toISOString() ?? null,
      backoffUntil: state?.backoffUntil ?? null,
      lastError: state?.lastError ?? null,
      driftFound: Number(syncRow?.drift_found ?? 0),
    },
    sendsLast24h: sends,
    dailySendLimit: account.daily_send_limit,
  };
}
