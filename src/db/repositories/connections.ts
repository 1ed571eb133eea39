import { sql } from 'kysely';
import type { DbOrTrx } from '../client';
import type { Provider } from '../../provider';
import type { ConnectionRow } from '../schema';

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
): Promise<void> {
  await db
    .updateTable('connections')
    .set({ status: to, updated_at: sql`now()` as never })
    .where('account_id', '=', accountId)
    .where('status', '=', from)
    .execute();
}

/** Links made through this connection stop receiving (R14, R15); their messages stay. */
export async function stopLinksOfConnection(db: DbOrTrx, connectionId: string, reason: string): Promise<number> {
  const result = await db
    .updateTable('thread_links')
    .set({ state: 'stopped', reason, updated_at: sql`now()` as never })
    .where('connection_id', '=', connectionId)
    .where('state', '=', 'active')
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export async function countSendsSince(db: DbOrTrx, accountId: string, since: Date): Promise<number> {
  const row = await db
    .selectFrom('messages')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('account_id', '=', accountId)
    .where('source', '=', 'crm')
    .where('send_status', '<>', 'failed')
    .where('created_at', '>=', since)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
