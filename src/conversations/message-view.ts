import type { DbOrTrx } from '../db/client';
import { listAttachmentMeta } from '../db/repositories/attachments';
import { findMessage } from '../db/repositories/messages';
import type { MessageRow, SendStatus } from '../db/schema';
import type { Deletion } from '../providers/types';

export interface MessageView {
  id: string;
  conversationId: string;
  locationId: string;
  connectionId: string;
  direction: 'inbound' | 'outbound';
  source: 'crm' | 'mail_client' | 'contact';
  sendStatus: SendStatus | null;
  sendError: string | null;
  from: string;
  fromName: string | null;
  to: string[];
  cc: string[];
  bcc: string[];
  subject: string;
  text: string | null;
  html: string | null;
  /** `id` downloads it: GET /v1/messages/:id/attachments/:attachmentId. */
  attachments: { id: string; filename: string; contentType: string; size: number }[];
  rfcMessageId: string;
  inReplyTo: string | null;
  references: string[];
  providerMessageId: string | null;
  /** The provider thread the message belongs to (Gmail threadId, Outlook conversationId). */
  threadKey: string | null;
  ruleId: string;
  /** The message's state in the mailbox; null when not known. */
  read: boolean | null;
  labels: string[] | null;
  folder: string | null;
  deletedAt: string | null;
  /** 'trash' or 'permanent' once deleted in the mailbox. */
  deletion: Deletion | null;
  messageAt: string;
  createdAt: string;
}

export async function viewMessages(db: DbOrTrx, rows: MessageRow[]): Promise<MessageView[]> {
  const ids = rows.map((r) => r.id);
  const attachments = ids.length
    ? await listAttachmentMeta(db, ids)
    : [];
  return rows.map((r) => ({
    id: r.id,
    conversationId: r.conversation_id,
    locationId: r.location_id,
    connectionId: r.connection_id,
    direction: r.direction,
    source: r.source,
    sendStatus: r.send_status,
    sendError: r.send_error,
    from: r.from_address,
    fromName: r.from_name,
    to: r.to_addresses,
    cc: r.cc_addresses,
    bcc: r.bcc_addresses,
    subject: r.subject,
    text: r.text_body,
    html: r.html_body,
    attachments: attachments.filter((a) => a.message_id === r.id).map((a) => ({ id: a.id, filename: a.filename, contentType: a.content_type, size: a.size_bytes })),
    rfcMessageId: r.rfc_message_id,
    inReplyTo: r.in_reply_to,
    references: r.references,
    providerMessageId: r.provider_message_id,
    threadKey: r.provider_thread_id,
    ruleId: r.rule_id,
    read: r.read,
    labels: r.labels,
    folder: r.folder,
    deletedAt: r.deleted_at?.toISOString() ?? null,
    deletion: r.deletion,
    messageAt: r.message_at.toISOString(),
    createdAt: r.created_at.toISOString(),
  }));
}

export async function viewMessage(db: DbOrTrx, id: string): Promise<MessageView | null> {
  const row = await findMessage(db, id);
  return row ? ((await viewMessages(db, [row]))[0] ?? null) : null;
}
