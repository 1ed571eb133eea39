import { byWeight } from '../../db/batches';
import type { DbOrTrx } from '../../db/client';
import { insertAttachments, type NewAttachment } from '../../db/repositories/attachments';
import { enrolContacts } from '../../db/repositories/bcc-enrolments';
import { createConversations, touchConversations } from '../../db/repositories/conversations';
import { insertNewContacts } from '../../db/repositories/directory';
import { appendEvents } from '../../db/repositories/events';
import { findParentTimes, insertSyncedMessages, markSentFromCopy, type SyncedMessage } from '../../db/repositories/messages';
import { recordDecisions } from '../../db/repositories/sync-decisions';
import { linkThreadsIfNew } from '../../db/repositories/thread-links';
import type { PagePlan, PlannedMessage } from './apply';

/**
 * Bytes of bodies or attachment content per multi-row insert: the driver copies a statement's
 * parameters into one buffer, so a slice stays about as heavy as one large message (the memory bound of
 * memory-bound.ts holds); rows also stay far below Postgres' 65,535 parameters (about 25 per message).
 */
const SLICE_BYTES = 2 * 1024 * 1024;
const SLICE_ROWS = 500;

/**
 * Writes a page's plan in the caller's transaction, a few multi-row statements per table, in
 * dependency order (contacts, conversations, messages, then what names them). Returns the number of
 * messages stored.
 */
export async function writePlan(db: DbOrTrx, accountId: string, plan: PagePlan): Promise<number> {
  await insertNewContacts(db, plan.contacts);
  const conversationIds = await createConversations(db, plan.conversations);
  const conversation = (id: string) => conversationIds.get(id) ?? id;

  const rows = await timedRows(db, plan.messages, conversation);
  const stored = new Set<string>();
  const bodyBytes = (row: SyncedMessage) => (row.text_body?.length ?? 0) + (row.html_body?.length ?? 0);
  for (const slice of byWeight(rows, bodyBytes, SLICE_BYTES, SLICE_ROWS)) {
    for (const id of await insertSyncedMessages(db, slice)) stored.add(id);
  }
  const attachments: NewAttachment[] = plan.messages.flatMap((m) => (stored.has(m.row.id) ? m.attachments.map((a) => ({ ...a, message_id: m.row.id })) : []));
  for (const slice of byWeight(attachments, (a) => a.content?.length ?? 0, SLICE_BYTES, SLICE_ROWS)) await insertAttachments(db, slice);

  // Each conversation ends at its last stored message of the page, in page order (as one by one).
  const touched = new Map<string, string>();
  for (const row of rows) if (stored.has(row.id)) touched.set(row.conversation_id, row.message_at as string);
  await touchConversations(db, [...touched].map(([id, lastMessageAt]) => ({ id, lastMessageAt })));

  for (const copy of plan.sentCopies) await markSentFromCopy(db, copy.messageId, copy);
  await linkThreadsIfNew(db, plan.links.map((l) => ({ ...l, conversationId: conversation(l.conversationId) })));
  await enrolContacts(db, plan.enrolments);
  await appendEvents(
    db,
    plan.events
      .filter((e) => e.storedMessageId === undefined || stored.has(e.storedMessageId))
      .map(({ storedMessageId, ...e }) =>
        storedMessageId === undefined ? e : { ...e, payload: { ...e.payload, conversationId: conversation(e.payload.conversationId as string) } },
      ),
  );
  await recordDecisions(
    db,
    accountId,
    plan.decisions.map(({ stored: wasStored, ...d }) => (wasStored && d.messageId !== null && !stored.has(d.messageId) ? { ...d, messageId: null } : d)),
  );
  return stored.size;
}

/**
 * A reply never sorts before the message it answers. Graph keeps times to the second, so a reply in the
 * same second as a CRM send would otherwise come first. The parent is a stored message, or one the page
 * stores before the reply.
 */
async function timedRows(db: DbOrTrx, messages: PlannedMessage[], conversation: (id: string) => string): Promise<SyncedMessage[]> {
  const replies = messages.filter((m) => m.row.in_reply_to);
  const parents = await findParentTimes(
    db,
    [...new Set(replies.map((m) => conversation(m.row.conversation_id)))],
    [...new Set(replies.map((m) => m.row.in_reply_to!))],
  );
  const key = (conversationId: string, rfcMessageId: string) => `${conversationId}\u0000${rfcMessageId}`;
  const known = new Map<string, number>();
  for (const p of parents) if (!known.has(key(p.conversation_id, p.rfc_message_id))) known.set(key(p.conversation_id, p.rfc_message_id), p.message_at.getTime());
  return messages.map((m) => {
    const conversationId = conversation(m.row.conversation_id);
    const parentAt = m.row.in_reply_to ? known.get(key(conversationId, m.row.in_reply_to)) : undefined;
    const received = Date.parse(m.receivedAt);
    const messageAt = parentAt === undefined || parentAt < received ? m.receivedAt : new Date(parentAt + 1).toISOString();
    const k = key(conversationId, m.row.rfc_message_id);
    if (!known.has(k)) known.set(k, Date.parse(messageAt));
    return { ...m.row, conversation_id: conversationId, message_at: messageAt };
  });
}
