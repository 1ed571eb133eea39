import type { Insertable } from 'kysely';
import type { DbOrTrx } from '../client';
import type { AttachmentsTable } from '../schema';

export type NewAttachment = Insertable<AttachmentsTable>;

export async function insertAttachments(db: DbOrTrx, rows: NewAttachment[]): Promise<void> {
  await db.insertInto('attachments').values(rows).execute();
}

/** A message's attachments with their bytes, in order (to build the MIME of a send). */
export async function listAttachments(db: DbOrTrx, messageId: string) {
  return db.selectFrom('attachments').selectAll().where('message_id', '=', messageId).orderBy('position').execute();
}

/** What the API shows of these messages' attachments, in order; never the bytes. */
export async function listAttachmentMeta(db: DbOrTrx, messageIds: string[]) {
  return db.selectFrom('attachments').select(['id', 'message_id', 'filename', 'content_type', 'size_bytes', 'position']).where('message_id', 'in', messageIds).orderBy('position').execute();
}

/** One attachment of a message, with its bytes when they are stored (null: left at the provider). */
export async function findAttachment(db: DbOrTrx, messageId: string, id: string) {
  return db.selectFrom('attachments').selectAll().where('message_id', '=', messageId).where('id', '=', id).executeTakeFirst();
}
