import { DomainError, NotFound } from '../domain-errors';
import { findConnection, findLiveConnectionsOutside, markDisconnected } from '../db/repositories/connections';
import { stopLinksOfConnection } from '../db/repositories/thread-links';
import { appendEvent, appendStatusChanged } from '../db/repositories/events';
import type { ConnectionRow } from '../db/schema';
import { mailboxWorkflowId } from '../workflows/state';
import type { ConnectDeps } from './deps';
import { signalDisconnect } from './mailbox-client';

/** Why a connection ends: the CRM disconnected it, its user was removed from its location, or the user or location was deleted. */
export type DisconnectCause = 'disconnected' | 'user_left_location' | 'user_deleted' | 'location_deleted';

/** R15: the binding leaves, its links stop, its messages stay; the workflow stops the watch when it was the last. */
export async function disconnectConnection(deps: ConnectDeps, connectionId: string, cause: DisconnectCause = 'disconnected'): Promise<ConnectionRow> {
  const existing = await findConnection(deps.db, connectionId);
  if (!existing) throw new NotFound('connection', connectionId);
  // Already disconnected: deliver the signal again (idempotent) so a retried DELETE finishes the job.
  const connection = existing.status === 'disconnected' ? existing : await deps.db.transaction().execute(async (trx) => {
    const row = await markDisconnected(trx, connectionId);
    const stopped = await stopLinksOfConnection(trx, connectionId, cause);
    await appendEvent(trx, {
      type: 'connection.disconnected',
      locationId: row.location_id,
      connectionId: row.id,
      payload: { connectionId: row.id, linksStopped: stopped, cause },
    });
    await appendStatusChanged(trx, [row], { status: 'disconnected', previousStatus: existing.status, reason: cause });
    return row;
  });
  try {
    await signalDisconnect(deps.temporal, mailboxWorkflowId(connection.provider, connection.account_id), {
      connectionId,
      reason: 'disconnected',
    });
  } catch (err) {
    throw new DomainError('temporal_unavailable', `connection ${connectionId} is disconnected, but its mailbox workflow was not told yet; retry the DELETE: ${(err as Error).message}`);
  }
  return connection;
}

/**
 * A user removed from locations: their connections there end as a disconnect would (R15), their links
 * stop with `user_left_location` (later mail in those threads: `link_stopped`). Returns the ids ended.
 */
export async function endConnectionsOutside(deps: ConnectDeps, userId: string, locationIds: string[]): Promise<string[]> {
  const connections = await findLiveConnectionsOutside(deps.db, userId, locationIds);
  return endConnections(deps, connections, 'user_left_location', (c) => `user ${userId} no longer has location ${c.location_id}`);
}

/**
 * Ends these connections as a disconnect would (R15), with `cause` on their links. When Temporal is out
 * of reach the row is ended already and a repeat of the directory call would not find it live, so the
 * error says how to finish: DELETE the connection.
 */
export async function endConnections(deps: ConnectDeps, connections: ConnectionRow[], cause: DisconnectCause, why: (c: ConnectionRow) => string): Promise<string[]> {
  const ended: string[] = [];
  for (const connection of connections) {
    try {
      await disconnectConnection(deps, connection.id, cause);
    } catch (err) {
      if (err instanceof DomainError && err.kind === 'temporal_unavailable') {
        throw new DomainError('temporal_unavailable', `${why(connection)}: connection ${connection.id} is ended, but its mailbox workflow was not told yet; send DELETE /v1/connections/${connection.id} to finish`);
      }
      throw err;
    }
    ended.push(connection.id);
  }
  return ended;
}
