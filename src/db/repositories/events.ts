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
