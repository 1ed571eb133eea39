import { graphTime, newAttachmentId, newChangeKey, newImmutableId, newInternetMessageId, newRestId } from '../ids';
import type { AddressInput, AttachmentInput } from '../types';
import type { EmailAddress, Header, Recipient, StoredAttachment, StoredMessage } from './model';

/** The author-controlled parts of a message, from Graph JSON, MIME or the control API. */
export interface Draft {
  subject: string;
  body: { contentType: 'text' | 'html'; content: string };
  from: Recipient | null;
  toRecipients: Recipient[];
  ccRecipients: Recipient[];
  bccRecipients: Recipient[];
  replyTo: Recipient[];
  internetMessageId: string | null;
  inReplyTo: string | null;
  references: string[];
  customHeaders: Header[];
  attachments: StoredAttachment[];
  importance: 'low' | 'normal' | 'high';
  categories: string[];
  /** Thread-Index carried by a MIME message or another Exchange mailbox. */
  threadIndex: Buffer | null;
}

export const emptyDraft = (): Draft => ({
  subject: '',
  body: { contentType: 'text', content: '' },
  from: null,
  toRecipients: [],
  ccRecipients: [],
  bccRecipients: [],
  replyTo: [],
  internetMessageId: null,
  inReplyTo: null,
  references: [],
  customHeaders: [],
  attachments: [],
  importance: 'normal',
  categories: [],
  threadIndex: null,
});

export const recipient = (address: string, name?: string | null): Recipient => ({ emailAddress: { name: name || address, address } });

/** "Name <a@b>", "a@b" or {name, address}. */
export function parseAddress(input: AddressInput): EmailAddress {
  if (typeof input !== 'string') return { name: input.name || input.address, address: input.address };
  const m = /^\s*"?([^"<]*?)"?\s*<([^>]+)>\s*$/.exec(input);
  if (m) return { name: (m[1] ?? '').trim() || (m[2] ?? '').trim(), address: (m[2] ?? '').trim() };
  return { name: input.trim(), address: input.trim() };
}

export const recipientsOf = (list: AddressInput[] | undefined): Recipient[] => (list ?? []).map((a) => ({ emailAddress: parseAddress(a) }));

export function storedAttachment(name: string, contentType: string, content: Buffer, inline = false, contentId: string | null = null): StoredAttachment {
  return { id: newAttachmentId(), name, contentType, isInline: inline, contentId, lastModifiedDateTime: graphTime(Date.now()), content };
}

export const attachmentsOf = (list: AttachmentInput[] | undefined): StoredAttachment[] =>
  (list ?? []).map((a) =>
    storedAttachment(a.filename, a.contentType ?? 'application/octet-stream', typeof a.content === 'string' ? Buffer.from(a.content, 'utf8') : Buffer.from(a.content), a.inline ?? false, a.contentId ?? null),
  );

/** A new item with fresh ids; the caller assigns its conversation and folder. */
export function newStoredMessage(draft: Draft, isDraft: boolean): StoredMessage {
  const now = graphTime(Date.now());
  return {
    immutableId: newImmutableId(),
    arrival: 0,
    restId: newRestId(),
    folderId: '',
    createdDateTime: now,
    lastModifiedDateTime: now,
    receivedDateTime: now,
    sentDateTime: isDraft ? null : now,
    changeKey: newChangeKey(),
    subject: draft.subject,
    body: { ...draft.body },
    from: draft.from,
    sender: draft.from,
    toRecipients: draft.toRecipients,
    ccRecipients: draft.ccRecipients,
    bccRecipients: draft.bccRecipients,
    replyTo: draft.replyTo,
    internetMessageId: draft.internetMessageId ?? newInternetMessageId(),
    inReplyTo: draft.inReplyTo,
    references: draft.references,
    conversationId: '',
    conversationIndex: Buffer.alloc(0),
    customHeaders: draft.customHeaders,
    transportHeaders: null,
    isDraft,
    isRead: true,
    importance: draft.importance,
    categories: draft.categories,
    attachments: draft.attachments,
  };
}
