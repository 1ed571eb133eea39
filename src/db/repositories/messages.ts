import { sql } from 'kysely';
import type { DbOrTrx } from '../client';
import type { Deletion } from '../../providers/types';
import type { CursorPosition } from '../../pagination/cursor';
import { afterTimes, exactTimes } from '../keyset';
import type { MessageRow, NewMessage } from '../schema';

/** A provider message as stored by sync; its send columns stay as the schema defaults them (CRM sends below). */
export type SyncedMessage = Omit<NewMessage, 'send_status' | 'send_attempts' | 'send_error' | 'send_attempt_started_at'>;

export async function findMessage(db: DbOrTrx, id: string): Promise<MessageRow | null> {
  return (await db.selectFrom('messages').selectAll().where('id', '=', id).executeTakeFirst()) ?? null;
}

export async function findMessageInLocation(db: DbOrTrx, id: string, locationId: string): Promise<MessageRow | null> {
  return (await db.selectFrom('messages').selectAll().where('id', '=', id).where('location_id', '=', locationId).executeTakeFirst()) ?? null;
}

/**
 * A conversation's messages, oldest first (message_at, then arrival: created_at, then id), after a cursor
 * position; optionally one provider thread's. Arrival breaks ties because Graph gives times to the second.
 */
export async function listConversationMessages(db: DbOrTrx, conversationId: string, filter: { threadKey?: string | undefined }, after: CursorPosition | null, limit: number) {
  let query = db
    .selectFrom('messages')
    .selectAll()
    .select(exactTimes('message_at', 'created_at').as('cursorKey'))
    .where('conversation_id', '=', conversationId)
    .orderBy('message_at')
    .orderBy('created_at')
    .orderBy('id')
    .limit(limit);
  if (filter.threadKey) query = query.where('provider_thread_id', '=', filter.threadKey);
  if (after) query = query.where(afterTimes('message_at', 'created_at', 'id', after));
  return query.execute();
}

/** What R21 thread grouping needs of each message of a conversation (src/conversations/threads.ts). */
export async function listConversationThreadMembers(db: DbOrTrx, conversationId: string) {
  return db
    .selectFrom('messages')
    .select(['id', 'provider_thread_id', 'rfc_message_id', 'in_reply_to', 'references', 'message_at', 'subject'])
    .where('conversation_id', '=', conversationId)
    .execute();
}

/** Stores provider messages in one statement; a row a location already has is left out (unique indexes). Returns the ids stored. */
export async function insertSyncedMessages(db: DbOrTrx, rows: SyncedMessage[]): Promise<Set<string>> {
  if (rows.length === 0) return new Set();
  const inserted = await db.insertInto('messages').values(rows).onConflict((oc) => oc.doNothing()).returning('id').execute();
  return new Set(inserted.map((r) => r.id));
}

/** When the messages these replies answer were sent or received, where their conversations hold them. */
export async function findParentTimes(db: DbOrTrx, conversationIds: string[], rfcMessageIds: string[]) {
  if (conversationIds.length === 0 || rfcMessageIds.length === 0) return [];
  return db
    .selectFrom('messages')
    .select(['conversation_id', 'rfc_message_id', 'message_at'])
    .where('conversation_id', 'in', conversationIds)
    .where('rfc_message_id', 'in', rfcMessageIds)
    .execute();
}

/** What sync decisions need of a stored message: where it is, its ids, whether it is the CRM's own, its contact. */
function storedQuery(db: DbOrTrx, accountId: string) {
  return db
    .selectFrom('messages as m')
    .innerJoin('conversations as c', 'c.id', 'm.conversation_id')
    .select(['m.id', 'm.location_id', 'm.conversation_id', 'c.contact_id', 'm.provider_message_id', 'm.provider_thread_id', 'm.rfc_message_id', 'm.source'])
    .where('m.account_id', '=', accountId);
}

/** The account's messages with these provider ids in these locations (R22: stored once per location). */
export async function findStoredByProviderIds(db: DbOrTrx, accountId: string, locationIds: string[], providerMessageIds: string[]) {
  if (locationIds.length === 0 || providerMessageIds.length === 0) return [];
  return storedQuery(db, accountId).where('m.location_id', 'in', locationIds).where('m.provider_message_id', 'in', providerMessageIds).execute();
}

/** The account's messages with these Message-IDs, in every location: the CRM's own sends (R22), referenced messages (R21). */
export async function findStoredByRfcIds(db: DbOrTrx, accountId: string, rfcMessageIds: string[]) {
  if (rfcMessageIds.length === 0) return [];
  return storedQuery(db, accountId).where('m.rfc_message_id', 'in', rfcMessageIds).execute();
}

// A message's state in the mailbox (read, labels, folder, deletion): written here only, from a provider's
// report compared with what is stored (src/conversations/state-change.ts).

export type MessageStateRow = Pick<MessageRow, 'id' | 'location_id' | 'connection_id' | 'conversation_id' | 'provider_message_id' | 'read' | 'labels' | 'folder' | 'deleted_at' | 'deletion'>;

/** The account's stored messages with these provider ids, in every location that holds them. */
export async function findStatesByProviderIds(db: DbOrTrx, accountId: string, providerMessageIds: string[]): Promise<MessageStateRow[]> {
  if (providerMessageIds.length === 0) return [];
  return db
    .selectFrom('messages')
    .select(['id', 'location_id', 'connection_id', 'conversation_id', 'provider_message_id', 'read', 'labels', 'folder', 'deleted_at', 'deletion'])
    .where('account_id', '=', accountId)
    .where('provider_message_id', 'in', [...new Set(providerMessageIds)])
    .orderBy('id')
    .execute();
}

/** Writes a changed state; a deletion carries its time, and leaving the trash clears it. Returns the row after. */
export async function writeMessageState(
  db: DbOrTrx,
  id: string,
  set: { read?: boolean | null; labels?: string[] | null; folder?: string | null; deletion?: Deletion | null },
  at: Date,
): Promise<MessageStateRow> {
  const deletion = set.deletion === undefined ? {} : { deletion: set.deletion, deleted_at: set.deletion ? at : null };
  return db
    .updateTable('messages')
    .set({ ...set, ...deletion, updated_at: sql`now()` as never })
    .where('id', '=', id)
    .returning(['id', 'location_id', 'connection_id', 'conversation_id', 'provider_message_id', 'read', 'labels', 'folder', 'deleted_at', 'deletion'])
    .executeTakeFirstOrThrow();
}

/** CRM sends through the account since `since` that did not fail: what counts against R16's daily limit. */
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

// CRM sends. The functions below are the only writers of `send_status`: a send is inserted `pending`,
// and moves to `sent`, `unknown` (the provider's answer was lost) or `failed` (a refusal that proves it
// did not go out).

export interface PendingSend {
  id: string;
  locationId: string;
  conversationId: string;
  connectionId: string;
  accountId: string;
  providerThreadId: string | null;
  rfcMessageId: string;
  inReplyTo: string | null;
  references: string[];
  fromAddress: string;
  to: string[];
  cc: string[];
  bcc: string[];
  subject: string;
  text: string | null;
  html: string | null;
}

/** The CRM's record of a send (R1), before any provider call. */
export async function insertPendingSend(db: DbOrTrx, s: PendingSend): Promise<void> {
  await db
    .insertInto('messages')
    .values({
      id: s.id, location_id: s.locationId, conversation_id: s.conversationId, connection_id: s.connectionId, account_id: s.accountId,
      provider_message_id: null, provider_thread_id: s.providerThreadId, rfc_message_id: s.rfcMessageId, in_reply_to: s.inReplyTo, references: s.references,
      direction: 'outbound', source: 'crm', send_status: 'pending', from_address: s.fromAddress, from_name: null,
      to_addresses: s.to, cc_addresses: s.cc, bcc_addresses: s.bcc, subject: s.subject, text_body: s.text, html_body: s.html,
      rule_id: 'R1', message_at: sql`now()` as never,
    })
    .execute();
}

/** The provider has the send: its ids are recorded and the call is no longer in flight. */
export async function markSent(db: DbOrTrx, messageId: string, sent: { providerMessageId: string; providerThreadId: string }): Promise<void> {
  await db
    .updateTable('messages')
    .set({ send_status: 'sent', provider_message_id: sent.providerMessageId, provider_thread_id: sent.providerThreadId, send_error: null, send_attempt_started_at: null, updated_at: sql`now()` as never })
    .where('id', '=', messageId)
    .execute();
}

/** Sync found the send's copy in Sent before the send recorded it (R22): the copy's ids go on the CRM's record. */
export async function markSentFromCopy(db: DbOrTrx, messageId: string, copy: { providerMessageId: string; providerThreadId: string }): Promise<void> {
  await db
    .updateTable('messages')
    .set({ provider_message_id: copy.providerMessageId, provider_thread_id: copy.providerThreadId, send_status: 'sent', updated_at: sql`now()` as never })
    .where('id', '=', messageId)
    .where('provider_message_id', 'is', null)
    .execute();
}

/** The workflow settled the send as refused; the row when it changed (null when it was already settled). */
export async function markSendFailed(db: DbOrTrx, messageId: string, reason: string): Promise<MessageRow | null> {
  const row = await db
    .updateTable('messages')
    .set({ send_status: 'failed', send_error: reason, updated_at: sql`now()` as never })
    .where('id', '=', messageId)
    .where('send_status', 'in', ['pending', 'unknown'])
    .returningAll()
    .executeTakeFirst();
  return row ?? null;
}

/** The provider's answer to a send was lost: not failed, not sent, until the Message-ID lookup settles it. */
export async function markSendUnknown(db: DbOrTrx, messageId: string, reason: string): Promise<void> {
  await db
    .updateTable('messages')
    .set({ send_status: 'unknown', send_error: reason, updated_at: sql`now()` as never })
    .where('id', '=', messageId)
    .where('send_status', 'in', ['pending', 'unknown'])
    .execute();
}

/** The API's hand-off to the mailbox workflow was refused (validator, provider, no workflow): the send did not go out. */
export async function markHandOffRefused(db: DbOrTrx, messageId: string, reason: string): Promise<MessageRow | null> {
  const row = await db
    .updateTable('messages')
    .set({ send_status: 'failed', send_error: reason })
    .where('id', '=', messageId)
    .where('send_status', 'in', ['pending', 'unknown'])
    .returningAll()
    .executeTakeFirst();
  return row ?? null;
}

/** The API's hand-off got no clear answer: the workflow or a retry with the same Idempotency-Key settles it. */
export async function markHandOffUnanswered(db: DbOrTrx, messageId: string, reason: string): Promise<void> {
  await db.updateTable('messages').set({ send_status: 'unknown', send_error: reason }).where('id', '=', messageId).where('send_status', '=', 'pending').execute();
}

/** One more attempt at a send; returns the count so far. */
export async function countSendAttempt(db: DbOrTrx, messageId: string): Promise<number> {
  const row = await db
    .updateTable('messages')
    .set({ send_attempts: sql`send_attempts + 1` as never, updated_at: sql`now()` as never })
    .where('id', '=', messageId)
    .returning('send_attempts')
    .executeTakeFirstOrThrow();
  return row.send_attempts;
}

/** Stored before the provider call is made: an attempt that finds it set knows an earlier call may have landed. */
export async function markSendCallStarted(db: DbOrTrx, messageId: string): Promise<Date> {
  const row = await db
    .updateTable('messages')
    .set({ send_attempt_started_at: new Date(), updated_at: sql`now()` as never })
    .where('id', '=', messageId)
    .returning('send_attempt_started_at')
    .executeTakeFirstOrThrow();
  return row.send_attempt_started_at!;
}

/** The provider answered the call (whatever it said). */
export async function clearSendCallStarted(db: DbOrTrx, messageId: string): Promise<void> {
  await db.updateTable('messages').set({ send_attempt_started_at: null, updated_at: sql`now()` as never }).where('id', '=', messageId).execute();
}
