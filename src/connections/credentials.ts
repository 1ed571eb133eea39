import { DomainError, NotFound } from '../domain-errors';
import { activateWithNewCredentials, ensureSyncState, saveCredentials, upsertAccount } from '../db/repositories/accounts';
import { findConnection, moveConnection } from '../db/repositories/connections';
import { stopLinksOfConnection } from '../db/repositories/thread-links';
import { appendEvent } from '../db/repositories/events';
import type { ConnectionRow } from '../db/schema';
import { mailboxWorkflowId } from '../workflows/state';
import { resolveMailbox } from './connect';
import { workflowOptions, type ConnectDeps } from './deps';
import { newAccountId } from '../ids';
import { signalConnect, signalDisconnect } from './mailbox-client';

export type CredentialsOutcome = 'reauthorized' | 'moved';

/**
 * New credentials for a connection. Same mailbox: re-authentication (R19), sync resumes from its cursor.
 * Another mailbox: update email (R14) — the binding moves, links made through the old mailbox stop
 * (`account_updated`), and the old mailbox keeps syncing for its other connections or completes.
 */
export async function updateCredentials(deps: ConnectDeps, connectionId: string, refreshToken: string): Promise<{ connection: ConnectionRow; outcome: CredentialsOutcome }> {
  const existing = await findConnection(deps.db, connectionId);
  if (!existing) throw new NotFound('connection', connectionId);
  if (existing.status === 'disconnected') throw new DomainError('mailbox_disconnected', `connection ${connectionId} is disconnected; connect again with POST /v1/connections`);
  const address = await resolveMailbox(deps, existing.provider, refreshToken);
  const oldAccount = existing.account_id;

  const { connection, account, moved } = await deps.db.transaction().execute(async (trx) => {
    const account = await upsertAccount(trx, { id: newAccountId(), provider: existing.provider, address });
    await saveCredentials(trx, account.id, deps.cipher.encrypt(refreshToken, account.id));
    await ensureSyncState(trx, account.id);
    await activateWithNewCredentials(trx, account);
    const moved = account.id !== oldAccount;
    if (moved) await stopLinksOfConnection(trx, connectionId, 'account_updated');
    const connection = await moveConnection(trx, connectionId, account.id, moved);
    await appendEvent(trx, {
      type: moved ? 'connection.account_updated' : 'connection.reauthorized',
      locationId: connection.location_id,
      connectionId,
      payload: { connectionId, address, ...(moved ? { previousAccountId: oldAccount } : {}) },
    });
    return { connection, account, moved };
  });

  if (moved) await signalDisconnect(deps.temporal, mailboxWorkflowId(existing.provider, oldAccount), { connectionId, reason: 'account_updated' });
  await signalConnect(
    deps.temporal,
    workflowOptions(deps),
    { accountId: account.id, provider: account.provider, address: account.address, sendLimit: account.daily_send_limit },
    {
      binding: { connectionId, locationId: connection.location_id, userId: connection.user_id, connectedAt: connection.connected_at.toISOString() },
      newCredentials: true,
      sendLimit: account.daily_send_limit,
    },
  );
  return { connection, outcome: moved ? 'moved' : 'reauthorized' };
}
