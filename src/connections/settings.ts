import { findAccount, setDailySendLimit } from '../db/repositories/accounts';
import { findConnection } from '../db/repositories/connections';
import { DomainError, NotFound } from '../domain-errors';
import { workflowOptions, type ConnectDeps } from './deps';
import { signalConnect } from './mailbox-client';

export interface ConnectionSettings {
  /** R16: sends per rolling 24 h, for the mailbox (every connection of one account shares it). */
  dailySendLimit?: number;
}

/**
 * Changes a live connection's settings after connect. The daily send limit belongs to the mailbox: it is
 * stored on the account and handed to its workflow with a connect signal for the same binding, which
 * the workflow already reads (no workflow change; a binding it holds is not added twice).
 */
export async function updateConnectionSettings(deps: ConnectDeps, connectionId: string, settings: ConnectionSettings): Promise<void> {
  const connection = await findConnection(deps.db, connectionId);
  if (!connection) throw new NotFound('connection', connectionId);
  if (connection.status === 'disconnected') {
    throw new DomainError('mailbox_disconnected', `connection ${connectionId} is disconnected; connect the mailbox again to change its settings`, { connectionId });
  }
  const account = await findAccount(deps.db, connection.account_id);
  if (!account) throw new DomainError('broken_invariant', `connection ${connectionId} has no account ${connection.account_id}`);
  if (settings.dailySendLimit === undefined || settings.dailySendLimit === account.daily_send_limit) return;
  await setDailySendLimit(deps.db, account.id, settings.dailySendLimit);
  await signalConnect(
    deps.temporal,
    workflowOptions(deps),
    { accountId: account.id, provider: account.provider, address: account.address, sendLimit: settings.dailySendLimit },
    {
      binding: { connectionId: connection.id, locationId: connection.location_id, userId: connection.user_id, connectedAt: connection.connected_at.toISOString() },
      newCredentials: false,
      sendLimit: settings.dailySendLimit,
    },
  );
}
