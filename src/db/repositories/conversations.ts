import { sql } from 'kysely';
import type { DbOrTrx } from '../client';
import type { CursorPosition } from '../../pagination/cursor';
import { afterTime, exactTime } from '../keyset';
import { newConversationId } from '../../ids';

export interface ConversationSummary {
  id: string;
  locationId: string;
  contactId: string;
  messageCount: number;
  lastMessageAt: Date | null;
}

/** The conversation of (location, contact), created on first use. */
export async function ensureConversation(db: DbOrTrx, locationId: string, contactId: string): Promise<string> {
  await db
    .insertInto('conversations')
    .values({ id: newConversationId(), location_id: locationId, contact_id: contactId })
    .onConflict((oc) => oc.columns(['location_id', 'contact_id']).doNothing())
    .execute();
  const row = await db
    .selectFrom('conversations')
    .select('id')
    .where('location_id', '=', locationId)
    .where('contact_id', '=', contactId)
    .executeTakeFirstOrThrow();
  return row.id;
}

/** The conversations of these contacts in these locations. */
export async function findConversationsOf(db: DbOrTrx, locationIds: string[], contactIds: string[]) {
  if (locationIds.length === 0 || contactIds.length === 0) return [];
  return db.selectFrom('conversations').select(['id', 'location_id', 'contact_id']).where('location_id', 'in', locationIds).where('contact_id', 'in', contactIds).execute();
}

/**
 * Creates the conversations of (location, contact) pairs in one statement. Returns the id each pair has
 * after it: the one given, or the one a concurrent writer created first.
 */
export async function createConversations(db: DbOrTrx, rows: { id: string; locationId: string; contactId: string }[]): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  if (rows.length === 0) return ids;
  const inserted = await db
    .insertInto('conversations')
    .values(rows.map((r) => ({ id: r.id, location_id: r.locationId, contact_id: r.contactId })))
    .onConflict((oc) => oc.columns(['location_id', 'contact_id']).doNothing())
    .returning('id')
    .execute();
  const created = new Set(inserted.map((r) => r.id));
  const lost = rows.filter((r) => !created.has(r.id));
  for (const r of rows) if (created.has(r.id)) ids.set(r.id, r.id);
  if (lost.length > 0) {
    const existing = await findConversationsOf(db, lost.map((r) => r.locationId), lost.map((r) => r.contactId));
    for (const r of lost) {
      const found = existing.find((e) => e.location_id === r.locationId && e.contact_id === r.contactId);
      if (!found) throw new Error(`conversation of contact ${r.contactId} in ${r.locationId} neither created nor found`);
      ids.set(r.id, found.id);
    }
  }
  return ids;
}

/** Messages were stored in these conversations: each gets the time given, in one statement. */
export async function touchConversations(db: DbOrTrx, touches: { id: string; lastMessageAt: string }[]): Promise<void> {
  if (touches.length === 0) return;
  await sql`
    update conversations c set last_message_at = t.at, updated_at = now()
    from unnest(${touches.map((t) => t.id)}::text[], ${touches.map((t) => t.lastMessageAt)}::timestamptz[]) as t(id, at)
    where c.id = t.id`.execute(db);
}

export async function conversationExists(db: DbOrTrx, id: string): Promise<boolean> {
  return Boolean(await db.selectFrom('conversations').select('id').where('id', '=', id).executeTakeFirst());
}

/** A location's conversations in the order they began (created_at, id), with their message counts; optionally one contact's. */
export async function listLocationConversations(db: DbOrTrx, locationId: string, filter: { contactId?: string | undefined }, after: CursorPosition | null, limit: number) {
  let query = db
    .selectFrom('conversations as c')
    .leftJoin('messages as m', 'm.conversation_id', 'c.id')
    .select((eb) => ['c.id', 'c.location_id', 'c.contact_id', 'c.last_message_at', eb.fn.count<string>('m.id').as('n'), exactTime('c.created_at').as('cursorKey')])
    .where('c.location_id', '=', locationId)
    .groupBy('c.id')
    .orderBy('c.created_at')
    .orderBy('c.id')
    .limit(limit);
  if (filter.contactId) query = query.where('c.contact_id', '=', filter.contactId);
  if (after) query = query.where(afterTime('c.created_at', 'c.id', after));
  const rows = await query.execute();
  return rows.map((r): ConversationSummary & { cursorKey: string } => ({ id: r.id, locationId: r.location_id, contactId: r.contact_id, messageCount: Number(r.n), lastMessageAt: r.last_message_at, cursorKey: r.cursorKey }));
}
