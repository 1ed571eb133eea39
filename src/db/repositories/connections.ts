import { sql } from 'kysely';
import type { DbOrTrx } from '../client';
import type { Provider } from '../../provider';
import type { ConnectionRow } from '../schema';
import type { CursorPosition } from '../../pagination/cursor';
import { afterTime, exactTime } from '../keyset';

export async function findConnection(db: DbOrTrx, id: string): Promise<ConnectionRow | null> {
  return (await db.selectFrom('connections').selectAll().where('id', '=', id).executeTakeFirst()) ?? null;
}

export async function findLiveConnection(db: DbOrTrx, locationId: string, userId: string): Promise<ConnectionRow | null> {
  return (
    (await db
      .selectFrom('connections')
      .selectAll()
      .where('location_id', '=', locationId)
      .where('user_id', '=', userId)
      .where('status', '<>', 'disconnected')
      .executeTakeFirst()) ?? null
  );
}

export async function insertConnection(
  db: DbOrTrx,
  input: { id: string; locationId: string; userId: string; accountId: string; provider: Provider; bccAddress: string },
): Promise<ConnectionRow> {
  return db
    .insertInto('connections')
    .values({
      id: input.id,
      location_id: input.locationId,
      user_id: input.userId,
      account_id: input.accountId,
      provider: input.provider,
      bcc_address: input.bccAddress,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function markDisconnected(db: DbOrTrx, id: string): Promise<ConnectionRow> {
  return db
    .updateTable('connections')
    .set({ status: 'disconnected', disconnected_at: sql`now()` as never, updated_at: sql`now()` as never })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function setConnectionsStatus(
  db: DbOrTrx,
  accountId: string,
  from: ConnectionRow['status'],
  to: ConnectionRow['status'],
): Promise<ConnectionRow[]> {
  return db
    .updateTable('connections')
    .set({ status: to, updated_at: sql`now()` as never })
    .where('account_id', '=', accountId)
    .where('status', '=', from)
    .returningAll()
    .execute();
}

/** The account's connections that are not disconnected. */
export async function listLiveConnections(db: DbOrTrx, accountId: string): Promise<ConnectionRow[]> {
  return db.selectFrom('connections').selectAll().where('account_id', '=', accountId).where('status', '!=', 'disconnected').execute();
}

/**
 * The connection is active on `accountId` with new credentials. Moved to another mailbox (R14), it
 * counts from now: no backfill from the new mailbox (R13).
 */
export async function moveConnection(db: DbOrTrx, id: string, accountId: string, moved: boolean): Promise<ConnectionRow> {
  return db
    .updateTable('connections')
    .set({
      account_id: accountId,
      status: 'active',
      updated_at: sql`now()` as never,
      ...(moved ? { connected_at: sql`now()` as never } : {}),
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function listConnectionsWithStatus(db: DbOrTrx, accountId: string, status: ConnectionRow['status']) {
  return db.selectFrom('connections').select(['id', 'location_id']).where('account_id', '=', accountId).where('status', '=', status).execute();
}

/** A user's connections that are not disconnected, in locations other than these. */
export async function findLiveConnectionsOutside(db: DbOrTrx, userId: string, locationIds: string[]): Promise<ConnectionRow[]> {
  let query = db.selectFrom('connections').selectAll().where('user_id', '=', userId).where('status', '!=', 'disconnected');
  if (locationIds.length > 0) query = query.where('location_id', 'not in', locationIds);
  return query.execute();
}

export interface ConnectionFilter {
  locationId?: string | undefined;
  userId?: string | undefined;
  status?: ConnectionRow['status'] | undefined;
}

/** Connections in the order they were made (created_at, id), after a cursor position; `cursorKey` is the row's exact created_at. */
export async function listConnections(db: DbOrTrx, filter: ConnectionFilter, after: CursorPosition | null, limit: number) {
  let query = db.selectFrom('connections').selectAll().select(exactTime('created_at').as('cursorKey')).orderBy('created_at').orderBy('id').limit(limit);
  if (filter.locationId) query = query.where('location_id', '=', filter.locationId);
  if (filter.userId) query = query.where('user_id', '=', filter.userId);
  if (filter.status) query = query.where('status', '=', filter.status);
  if (after) query = query.where(afterTime('created_at', 'id', after));
  return query.execute();
}

/** The connections of a user (or of a location) that are not disconnected. */
export async function findLiveConnectionsOf(db: DbOrTrx, by: { userId?: string; locationId?: string }): Promise<ConnectionRow[]> {
  let query = db.selectFrom('connections').selectAll().where('status', '!=', 'disconnected').orderBy('id');
  if (by.userId) query = query.where('user_id', '=', by.userId);
  if (by.locationId) query = query.where('location_id', '=', by.locationId);
  return query.execute();
}
