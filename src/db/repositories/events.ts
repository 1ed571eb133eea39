import { sql } from 'kysely';
import type { ConnectionStatus, EventType } from '../../event-types';
import { inBatches } from '../batches';
import type { Db, DbOrTrx } from '../client';

export interface NewEvent {
  type: EventType;
  locationId?: string | null;
  connectionId?: string | null;
  payload: Record<string, unknown>;
}

/** Appends to the transactional outbox; call inside the transaction that made the change. */
export async function appendEvent(db: DbOrTrx, event: NewEvent): Promise<void> {
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

/** Appends events in one statement per slice, in the order given (their ids, hence feed order, follow it). */
export async function appendEvents(db: DbOrTrx, events: NewEvent[]): Promise<void> {
  await inBatches(events, 1000, async (slice) => {
    await db
      .insertInto('events')
      .values(slice.map((e) => ({ type: e.type, location_id: e.locationId ?? null, connection_id: e.connectionId ?? null, payload: JSON.stringify(e.payload) })))
      .execute();
  });
}

/** `connection.status_changed` for each of these connections: one event per connection, in the caller's transaction. */
export async function appendStatusChanged(
  db: DbOrTrx,
  connections: { id: string; location_id: string }[],
  change: { status: ConnectionStatus; previousStatus: ConnectionStatus | null; reason: string | null },
): Promise<void> {
  for (const c of connections) {
    await appendEvent(db, { type: 'connection.status_changed', locationId: c.location_id, connectionId: c.id, payload: { connectionId: c.id, ...change } });
  }
}

/** `message.send_failed`: a CRM send that did not go out, and why. */
export async function appendSendFailed(db: DbOrTrx, message: { id: string; location_id: string; connection_id: string | null; conversation_id: string | null; rfc_message_id: string }, reason: string): Promise<void> {
  await appendEvent(db, {
    type: 'message.send_failed',
    locationId: message.location_id,
    connectionId: message.connection_id,
    payload: { messageId: message.id, conversationId: message.conversation_id, rfcMessageId: message.rfc_message_id, reason },
  });
}

/** Any constant shared by every sequencer: the advisory lock that makes them take turns. */
const SEQUENCER_LOCK = 7_301_944_002;

/**
 * Gives committed events their feed positions, in id order, after the last position given. Events of
 * transactions still open are not visible here and get theirs on a later call, so positions follow
 * commit order: a reader of `position > after` never passes an event that commits later. Sequencers
 * take turns on an advisory lock, and each one's statement sees every earlier one's positions.
 * Returns how many events were given a position.
 */
export async function sequenceEvents(db: Db): Promise<number> {
  const waiting = await db.selectFrom('events').select('id').where('position', 'is', null).limit(1).executeTakeFirst();
  if (!waiting) return 0;
  return db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(${SEQUENCER_LOCK})`.execute(trx);
    const res = await sql`
      with last as (select coalesce(max(position), 0) as p from events),
           pending as (select id, row_number() over (order by id) as n from events where position is null)
      update events e set position = last.p + pending.n from pending, last where e.id = pending.id`.execute(trx);
    return Number(res.numAffectedRows ?? 0);
  });
}

export interface FeedEvent {
  position: string;
  type: string;
  locationId: string | null;
  connectionId: string | null;
  payload: Record<string, unknown>;
  createdAt: Date;
}

/** The feed after a position (sequencing what committed first), oldest first. */
export async function readEvents(db: Db, opts: { after: string; limit: number; type?: string }): Promise<FeedEvent[]> {
  await sequenceEvents(db);
  let query = db
    .selectFrom('events')
    .select(['position', 'type', 'location_id', 'connection_id', 'payload', 'created_at'])
    .where('position', '>', opts.after)
    .orderBy('position')
    .limit(opts.limit);
  if (opts.type) query = query.where('type', '=', opts.type);
  const rows = await query.execute();
  return rows.map((r) => ({ position: String(r.position), type: r.type, locationId: r.location_id, connectionId: r.connection_id, payload: r.payload, createdAt: r.created_at }));
}

/** The feed's last position (0 when empty). */
export async function latestPosition(db: DbOrTrx): Promise<string> {
  const row = await db.selectFrom('events').select(sql<string>`coalesce(max(position), 0)`.as('p')).executeTakeFirstOrThrow();
  return String(row.p);
}

/** The last position the env-configured outbox dispatcher delivered, before endpoints were managed through the API (0 when none). */
export async function lastOutboxDelivered(db: DbOrTrx): Promise<string> {
  const row = await db.selectFrom('events').select(sql<string>`coalesce(max(position), 0)`.as('p')).where('delivered_at', 'is not', null).executeTakeFirstOrThrow();
  return String(row.p);
}
