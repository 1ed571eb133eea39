/** The sandbox's stored mail items, close to Exchange's item properties. */

export interface EmailAddress {
  name: string;
  address: string;
}

export interface Recipient {
  emailAddress: EmailAddress;
}

export interface StoredAttachment {
  id: string;
  name: string;
  contentType: string;
  isInline: boolean;
  contentId: string | null;
  lastModifiedDateTime: string;
  content: Buffer;
}

export interface Header {
  name: string;
  value: string;
}

export interface StoredMessage {
  immutableId: string;
  /** Order of arrival in the mailbox; breaks ties between timestamps of the same second. */
  arrival: number;
  /** Default id; replaced on every move, as Exchange's entry ids are. */
  restId: string;
  folderId: string;
  createdDateTime: string;
  lastModifiedDateTime: string;
  receivedDateTime: string;
  sentDateTime: string | null;
  changeKey: string;
  subject: string;
  body: { contentType: 'text' | 'html'; content: string };
  from: Recipient | null;
  sender: Recipient | null;
  toRecipients: Recipient[];
  ccRecipients: Recipient[];
  bccRecipients: Recipient[];
  replyTo: Recipient[];
  internetMessageId: string;
  inReplyTo: string | null;
  references: string[];
  conversationId: string;
  conversationIndex: Buffer;
  /** Custom x- headers given by the author; sent along with the message. */
  customHeaders: Header[];
  /** Headers as received over SMTP; only received copies have them. */
  transportHeaders: Header[] | null;
  isDraft: boolean;
  isRead: boolean;
  importance: 'low' | 'normal' | 'high';
  categories: string[];
  attachments: StoredAttachment[];
}

export type FolderKind = 'inbox' | 'sentitems' | 'drafts' | 'deleteditems' | 'archive' | 'junkemail' | 'outbox';

export interface Folder {
  id: string;
  /** Null for folders the user made. */
  wellKnownName: FolderKind | null;
  displayName: string;
  /** Null for a folder at the top of the tree (a child of msgfolderroot). */
  parentId: string | null;
  isHidden: boolean;
  /** Last change number in this folder; delta rounds are ranges of it. */
  seq: number;
  /** Latest change per message (immutable id) that is or was in the folder. */
  changes: Map<string, FolderChange>;
}

export interface FolderChange {
  seq: number;
  kind: 'upsert' | 'removed';
  /** For removals: the default id the message had in this folder, which is what clients know. */
  restId?: string;
}

export const WELL_KNOWN_FOLDERS: { kind: FolderKind; displayName: string }[] = [
  { kind: 'inbox', displayName: 'Inbox' },
  { kind: 'sentitems', displayName: 'Sent Items' },
  { kind: 'drafts', displayName: 'Drafts' },
  { kind: 'deleteditems', displayName: 'Deleted Items' },
  { kind: 'archive', displayName: 'Archive' },
  { kind: 'junkemail', displayName: 'Junk Email' },
  { kind: 'outbox', displayName: 'Outbox' },
];

export const messageSize = (m: StoredMessage): number =>
  Buffer.byteLength(m.body.content) + m.attachments.reduce((n, a) => n + a.content.length, 0);
