import { sql } from 'kysely';
import type { DbOrTrx } from '../client';

/** Appends to the transactional outbox; call inside the transaction that made the change. */
export async function appendEvent(
  db: DbOrTrx,
  event: { type: string; locationId?: string | null; connectionId?: string | null; payload: Record<string, unknown> },
): Promise<void> {
  await db
    .insertInto('events')
    .values({
      type: event.type,
      location_id: event.locationId ?? null,
      connection_id: event.connectionId ?? null,
      payload: JSON.stringify(event.payload),
    })
    .execute();
}

/** A page of the event feed, in id order, after the id the CRM last processed. */
export async function listEvents(db: DbOrTrx, opts: { after: string; limit: number; type?: string | undefined }) {
  let query = db.selectFrom('events').selectAll().where('id', '>', opts.after).orderBy('id').limit(opts.limit);
  if (opts.type) query = query.where('type', '=', opts.type);
  return query.execute();
}

/** The oldest undelivered events, locked for the caller's transaction; rows another dispatcher holds are skipped. */
export async function claimUndelivered(trx: DbOrTrx, batch: number) {
  return trx.selectFrom('events').selectAll().where('delivered_at', 'is', null).orderBy('id').limit(batch).forUpdate().skipLocked().execute();
}

export async function markDelivered(trx: DbOrTrx, id: string): Promise<void> {
  await trx.updateTable('events').set({ delivered_at: sql`now()` as never, attempts: sql`attempts + 1` as never, last_error: null }).where('id', '=', id).execute();
}

export async function markDeliveryFailed(trx: DbOrTrx, id: string, error: string): Promise<void> {
  await trx.updateTable('events').set({ attempts: sql`attempts + 1` as never, last_error: error }).where('id', '=', id).execute();
}
