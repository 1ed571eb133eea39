/** A mailbox as the engine stores it: address lower-cased, name '' when the header had none. */
export interface EmailAddress {
  address: string;
  name: string;
}

export interface MailboxInput {
  address: string;
  name?: string;
}

export interface OutgoingAttachment {
  filename: string;
  contentType: string;
  content: Buffer;
}

export interface OutgoingEmail {
  from: MailboxInput;
  to: MailboxInput[];
  cc: MailboxInput[];
  bcc: MailboxInput[];
  subject: string;
  text?: string;
  html?: string;
  attachments?: OutgoingAttachment[];
  /** Chosen by the caller before the provider call ('<uuid@domain>'), so a retried send can be looked up. */
  messageId: string;
  inReplyTo?: string;
  references?: string[];
  date?: Date;
}

export interface ParsedAttachment {
  filename: string;
  contentType: string;
  size: number;
  /** Null when the bytes were left at the provider (a message over the read bound): see providerAttachmentId. */
  content: Buffer | null;
  /** Where the provider keeps the bytes: Gmail's part id (its attachment ids change on every read), Graph's attachment id. */
  providerAttachmentId?: string;
  /** Content-ID without angle brackets, as used in `cid:` links. */
  contentId?: string;
}

export interface ParsedEmail {
  /** Message-IDs are kept with their angle brackets: `<id@host>`. */
  rfcMessageId: string | null;
  inReplyTo: string | null;
  references: string[];
  subject: string;
  from: EmailAddress | null;
  /** Header order is kept: the first To recipient owns the conversation (R7). */
  to: EmailAddress[];
  cc: EmailAddress[];
  bcc: EmailAddress[];
  /** The Date header as ISO 8601, null when missing or unreadable. */
  date: string | null;
  text: string | null;
  html: string | null;
  attachments: ParsedAttachment[];
}

/** An attachment known from provider metadata; its content is fetched separately by id. */
export interface AttachmentMeta {
  filename: string;
  contentType: string;
  size: number;
  attachmentId: string | null;
  /** Gmail only: the MIME part id, which stays the same across reads. */
  partId?: string;
  contentId?: string;
  inline: boolean;
}

/** What a provider's message JSON says, in the shape of ParsedEmail, without attachment bytes. */
export interface ProviderMessageMeta extends Omit<ParsedEmail, 'attachments'> {
  providerMessageId: string;
  /** Gmail threadId / Graph conversationId: a hint for threading, not the whole answer (R21). */
  providerThreadId: string | null;
  /** When the provider accepted the message (Gmail internalDate, Graph receivedDateTime), ISO 8601. */
  receivedAt: string | null;
  attachments: AttachmentMeta[];
}

/** A text body Gmail left out of the payload (large parts come as an attachmentId instead of data). */
export interface UnfetchedBodyPart {
  partId: string | null;
  mimeType: string;
  attachmentId: string;
}

export interface GmailMessageMeta extends ProviderMessageMeta {
  labelIds: string[];
  historyId: string | null;
  sizeEstimate: number | null;
  unfetchedBodyParts: UnfetchedBodyPart[];
}

export interface GraphMessageMeta extends ProviderMessageMeta {
  isDraft: boolean;
  parentFolderId: string | null;
  hasAttachments: boolean;
}
