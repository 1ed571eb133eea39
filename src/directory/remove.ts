import type { ConnectDeps } from '../connections/deps';
import { endConnections } from '../connections/disconnect';
import { findLiveConnectionsOf } from '../db/repositories/connections';
import { deleteContact, deleteLocation, deleteUser, findLocation, findUser } from '../db/repositories/directory';
import { NotFound } from '../domain-errors';

/**
 * Deleting from the CRM's directory. Live connections are ended first, as a disconnect would (R15), so
 * no mailbox keeps syncing into what is gone; then the row goes, and what hangs on it with it
 * (migration 0009). A retry after a partial failure finds the connections ended and finishes.
 */

/** A location and everything in it: connections (ended), contacts, conversations, messages, links. */
export async function removeLocation(deps: ConnectDeps, id: string): Promise<{ endedConnectionIds: string[] }> {
  if (!(await findLocation(deps.db, id))) throw new NotFound('location', id);
  const live = await findLiveConnectionsOf(deps.db, { locationId: id });
  const endedConnectionIds = await endConnections(deps, live, 'location_deleted', () => `location ${id} is being deleted`);
  await deleteLocation(deps.db, id);
  return { endedConnectionIds };
}

/** A user: their live connections end; their contacts become unassigned; conversations and messages stay. */
export async function removeUser(deps: ConnectDeps, id: string): Promise<{ endedConnectionIds: string[] }> {
  if (!(await findUser(deps.db, id))) throw new NotFound('user', id);
  const live = await findLiveConnectionsOf(deps.db, { userId: id });
  const endedConnectionIds = await endConnections(deps, live, 'user_deleted', () => `user ${id} is being deleted`);
  await deleteUser(deps.db, id);
  return { endedConnectionIds };
}

/** A contact with its conversation, that conversation's messages and thread links, and its BCC enrolments. */
export async function removeContact(deps: Pick<ConnectDeps, 'db'>, locationId: string, id: string): Promise<void> {
  if (!(await deleteContact(deps.db, locationId, id))) throw new NotFound('contact', `${locationId}/${id}`);
}
