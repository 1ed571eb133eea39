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

export async function conversationExists(db: DbOrTrx, id: string): Promise<boolean> {
  return Boolean(await db.selectFrom('conversations').select('id').where('id', '=', id).executeTakeFirst());
}

/** A message was stored in the conversation. */
export async function touchConversation(db: DbOrTrx, id: string, lastMessageAt: string): Promise<void> {
  await db.updateTable('conversations').set({ last_message_at: lastMessageAt, updated_at: sql`now()` as never }).where('id', '=', id).execute();
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
