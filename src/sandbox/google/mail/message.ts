import type { MimeNode } from './mime-tree';

export interface Mailbox {
  address: string;
  name: string;
}

export interface AttachmentInfo {
  filename: string;
  contentType: string;
  size: number;
  content: Buffer;
}

/** What the sandbox reads from a message once, at arrival (search, threading, control views). */
export interface MessageSummary {
  rfcMessageId: string;
  subject: string;
  from: Mailbox[];
  replyTo: Mailbox[];
  to: Mailbox[];
  cc: Mailbox[];
  bcc: Mailbox[];
  inReplyTo: string[];
  references: string[];
  date: Date | null;
  text: string;
  html: string | null;
  attachments: AttachmentInfo[];
}

export interface PreparedMessage {
  raw: Buffer;
  tree: MimeNode;
  summary: MessageSummary;
}

export interface StoredMessage extends PreparedMessage {
  id: string;
  threadId: string;
  labelIds: string[];
  internalDate: number;
  historyId: number;
  snippet: string;
}

export function formatMailbox(m: Mailbox): string {
  return m.name ? `${m.name} <${m.address}>` : m.address;
}

export function formatMailboxes(list: Mailbox[]): string {
  return list.map(formatMailbox).join(', ');
}
