import { normalizeAddress, toIsoDate } from './addresses';
import { normalizeMessageId, splitMessageIds } from './message-id';
import type { AttachmentMeta, EmailAddress, GraphMessageMeta } from './types';

/** The fields of a Graph `message` resource the engine reads (v1.0; `$select` decides which are present). */
export interface GraphRecipient {
  emailAddress?: { name?: string | null; address?: string | null } | null;
}

export interface GraphAttachment {
  '@odata.type'?: string;
  id?: string | null;
  name?: string | null;
  contentType?: string | null;
  size?: number | null;
  isInline?: boolean | null;
  contentId?: string | null;
}

export interface GraphMessage {
  id?: string | null;
  conversationId?: string | null;
  internetMessageId?: string | null;
  internetMessageHeaders?: { name?: string | null; value?: string | null }[] | null;
  subject?: string | null;
  from?: GraphRecipient | null;
  sender?: GraphRecipient | null;
  toRecipients?: GraphRecipient[] | null;
  ccRecipients?: GraphRecipient[] | null;
  bccRecipients?: GraphRecipient[] | null;
  receivedDateTime?: string | null;
  sentDateTime?: string | null;
  body?: { contentType?: string | null; content?: string | null } | null;
  hasAttachments?: boolean | null;
  attachments?: GraphAttachment[] | null;
  isDraft?: boolean | null;
  parentFolderId?: string | null;
}

function recipient(r: GraphRecipient | null | undefined): EmailAddress | null {
  return normalizeAddress(r?.emailAddress?.address, r?.emailAddress?.name);
}

function recipients(list: GraphRecipient[] | null | undefined): EmailAddress[] {
  return (list ?? []).map(recipient).filter((a): a is EmailAddress => a !== null);
}

function header(message: GraphMessage, name: string): string | null {
  const wanted = name.toLowerCase();
  return message.internetMessageHeaders?.find((h) => h.name?.toLowerCase() === wanted)?.value ?? null;
}

function attachmentMeta(a: GraphAttachment): AttachmentMeta {
  const contentId = a.contentId?.trim().replace(/^<|>$/g, '');
  return {
    filename: a.name ?? '',
    contentType: a.contentType ?? 'application/octet-stream',
    size: a.size ?? 0,
    attachmentId: a.id ?? null,
    ...(contentId ? { contentId } : {}),
    inline: a.isInline ?? false,
  };
}

function bodyOf(message: GraphMessage): { text: string | null; html: string | null } {
  const content = message.body?.content ?? null;
  if (content === null) return { text: null, html: null };
  return message.body?.contentType?.toLowerCase() === 'html' ? { text: null, html: content } : { text: content, html: null };
}

/**
 * Converts a Graph message (from a get, list or delta page) into the engine's message shape.
 * In-Reply-To and References exist only when `internetMessageHeaders` was selected; attachments
 * only when expanded.
 */
export function graphMessageToParsed(message: GraphMessage): GraphMessageMeta {
  if (!message.id) throw new Error('Graph message has no id');
  return {
    providerMessageId: message.id,
    providerThreadId: message.conversationId ?? null,
    receivedAt: toIsoDate(message.receivedDateTime),
    rfcMessageId: normalizeMessageId(message.internetMessageId),
    inReplyTo: normalizeMessageId(header(message, 'In-Reply-To')),
    references: splitMessageIds(header(message, 'References')),
    subject: message.subject ?? '',
    // `from` is the author; `sender` differs only for send-on-behalf, and is all a draft may have.
    from: recipient(message.from) ?? recipient(message.sender),
    to: recipients(message.toRecipients),
    cc: recipients(message.ccRecipients),
    bcc: recipients(message.bccRecipients),
    date: toIsoDate(message.sentDateTime),
    ...bodyOf(message),
    attachments: (message.attachments ?? []).map(attachmentMeta),
    isDraft: message.isDraft ?? false,
    parentFolderId: message.parentFolderId ?? null,
    hasAttachments: message.hasAttachments ?? false,
  };
}
