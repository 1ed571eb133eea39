import { DomainError } from '../domain-errors';
import { findUser } from '../db/repositories/directory';
import { activateWithNewCredentials, ensureSyncState, saveCredentials, setDailySendLimit, upsertAccount } from '../db/repositories/accounts';
import { findLiveConnection, insertConnection } from '../db/repositories/connections';
import { appendEvent } from '../db/repositories/events';
import type { ConnectionRow } from '../db/schema';
import type { Provider } from '../provider';
import { InvalidGrantError, workflowOptions, type ConnectDeps } from './deps';
import { newAccountId, newBccAddress, newConnectionId } from '../ids';
import { signalConnect } from './mailbox-client';

export interface ConnectInput {
  locationId: string;
  userId: string;
  provider: Provider;
  refreshToken: string;
  /** When given, must be the mailbox the token opens. */
  address?: string;
  /** R16: sends per rolling 24 h for this mailbox (default 500; e.g. 2000 for Google Workspace). */
  dailySendLimit?: number;
}

export async function resolveMailbox(deps: ConnectDeps, provider: Provider, refreshToken: string, expected?: string): Promise<string> {
  let address: string;
  try {
    address = (await deps.identity.resolveAddress(provider, refreshToken)).toLowerCase();
  } catch (err) {
    if (err instanceof InvalidGrantError) throw new DomainError('grant_refused', `the ${provider} refresh token was refused: ${err.message}`);
    throw new DomainError('provider_unavailable', `could not reach ${provider} to identify the mailbox: ${(err as Error).message}`);
  }
  if (expected && expected.toLowerCase() !== address) {
    throw new DomainError('account_mismatch', `the refresh token opens ${address}, not ${expected}`, { address });
  }
  return address;
}

/**
 * Binds a mailbox to (location, user). Idempotent: connecting the same mailbox again returns the same
 * connection with fresh credentials and re-delivers connect, so a call that failed half-way can be retried.
 */
export async function connectMailbox(deps: ConnectDeps, input: ConnectInput): Promise<{ connection: ConnectionRow; created: boolean }> {
  const user = await findUser(deps.db, input.userId);
  if (!user) throw new DomainError('unknown_reference', `user ${input.userId} does not exist`, { field: 'userId' });
  if (!user.locationIds.includes(input.locationId)) {
    throw new DomainError('unknown_reference', `user ${input.userId} is not a member of location ${input.locationId}`, { field: 'locationId' });
  }
  const address = await resolveMailbox(deps, input.provider, input.refreshToken, input.address);

  const { connection, created, account } = await deps.db.transaction().execute(async (trx) => {
    const account = await upsertAccount(trx, { id: newAccountId(), provider: input.provider, address });
    await saveCredentials(trx, account.id, deps.cipher.encrypt(input.refreshToken, account.id));
    await activateWithNewCredentials(trx, account);
    if (input.dailySendLimit && input.dailySendLimit !== account.daily_send_limit) {
      await setDailySendLimit(trx, account.id, input.dailySendLimit);
      account.daily_send_limit = input.dailySendLimit;
    }
    await ensureSyncState(trx, account.id);
    const live = await findLiveConnection(trx, input.locationId, input.userId);
    if (live && live.account_id !== account.id) {
      throw new DomainError('connection_exists', `user ${input.userId} already has connection ${live.id} in location ${input.locationId}; update its credentials or disconnect it first`, { connectionId: live.id });
    }
    if (live) return { connection: live, created: false, account };
    const connection = await insertConnection(trx, {
      id: newConnectionId(),
      locationId: input.locationId,
      userId: input.userId,
      accountId: account.id,
      provider: input.provider,
      bccAddress: newBccAddress(deps.bccDomain),
    });
    await appendEvent(trx, {
      type: 'connection.connected',
      locationId: connection.location_id,
      connectionId: connection.id,
      payload: { connectionId: connection.id, provider: input.provider, address },
    });
    return { connection, created: true, account };
  });

  await signalConnect(
    deps.temporal,
    workflowOptions(deps),
    { accountId: account.id, provider: account.provider, address: account.address, sendLimit: account.daily_send_limit },
    {
      binding: {
        connectionId: connection.id,
        locationId: connection.location_id,
        userId: connection.user_id,
        connectedAt: connection.connected_at.toISOString(),
      },
      newCredentials: true,
      sendLimit: account.daily_send_limit,
    },
  );
  return { connection, created };
}
