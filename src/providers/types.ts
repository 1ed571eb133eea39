import type { NotMail } from '../rules/types';
import type { ParsedEmail } from '../mime/types';
import type { Provider } from '../provider';

/** An opaque, JSON-able position in the provider's change stream (Gmail historyId, Graph delta links). */
export type Cursor = Record<string, string>;

/**
 * One provider message: read whole in one call (the minimum the provider allows) up to the read bound;
 * above it, headers and text with each attachment as a provider reference (content null).
 */
/** A CRM send as the providers need it. */
export interface OutgoingMessage {
  /** The whole message as MIME (Gmail takes it through its upload endpoint, up to 35 MB). */
  raw: Buffer;
  /** The same message without its attachments: Graph caps a request at 4 MB, so large attachments go up on their own. */
  withoutAttachments(): Promise<Buffer>;
  attachments: { filename: string; contentType: string; content: Buffer }[];
}

export interface FetchedMessage {
  providerMessageId: string;
  providerThreadId: string;
  receivedAt: string;
  /** Gmail SENT label / Outlook Sent Items. */
  inSent: boolean;
  /** Not mail (R23): a draft (Gmail DRAFT, Outlook isDraft), or junk (Gmail SPAM / TRASH). */
  notMail: NotMail | null;
  parsed: ParsedEmail;
  /** Read, labels or folder when the message was read (stored with it). */
  state?: MessageState;
}

/** 'trash': in Gmail's TRASH or Outlook's Deleted Items; 'permanent': gone from the mailbox. */
export type Deletion = 'trash' | 'permanent';

/** A message's state in the mailbox as the provider reported it; a field left out is not known (kept as stored). */
export interface MessageState {
  read?: boolean;
  /** Gmail: the message's label ids. */
  labels?: string[];
  /** Outlook: the folder's well-known name (inbox, sentitems, deleteditems, …) or its display name. */
  folder?: string;
  /** Null: not deleted (e.g. taken back out of the trash). */
  deleted?: Deletion | null;
}

/** A change to a message the mailbox already had; applied only to messages mailsync stored. */
export interface MessageUpdate extends MessageState {
  providerMessageId: string;
  /** Outlook: the message left the folder being read (moved, trashed or deleted); `locate` says which. */
  left?: boolean;
}

export interface ChangePage {
  /** Provider ids seen in this page, first-seen order, without repeats. */
  messageIds: string[];
  /** Where the next page starts; stored with the page's messages in one transaction. */
  next: Cursor;
  /** False when the page reached the end of the stream (the workflow stops asking). */
  more: boolean;
  /** Read / deleted / label or folder changes in this page, in the stream's order. */
  updates: MessageUpdate[];
}

export interface SentRef {
  providerMessageId: string;
  providerThreadId: string;
}

/**
 * One provider mailbox, as the activities see it. Gmail and Outlook implement the same interface;
 * every call is counted by the pacer the account's workflow reads.
 */
export interface MailboxAdapter {
  readonly provider: Provider;
  address(): Promise<string>;
  /** The stream's position now: the baseline at connect time (R13) and the pin before a reconcile. */
  currentCursor(): Promise<Cursor>;
  /** One page of changes; throws a classified CursorExpired when the provider no longer has the start. */
  listChanges(cursor: Cursor): Promise<ChangePage>;
  /** Ids of messages received in [since, now), for bounded reconciliation; paged. */
  listReceivedSince(since: string, pageToken: string | null): Promise<{ messageIds: string[]; nextPageToken: string | null }>;
  /**
   * Null when the message is gone (deleted between the change and the fetch). Throws
   * MessageUnreadableError when the bytes came but cannot be used (providers/unreadable.ts).
   */
  fetchMessage(providerMessageId: string): Promise<FetchedMessage | null>;
  findByRfcMessageId(rfcMessageId: string): Promise<SentRef | null>;
  /** Marks the message read or unread in the mailbox (Gmail `messages.modify`, Graph `PATCH isRead`); its state after. */
  setRead(providerMessageId: string, read: boolean): Promise<MessageState>;
  /** Where messages that left a folder being read are now (Outlook `@removed`): moved, in the trash, or gone. */
  locate?(providerMessageIds: string[]): Promise<MessageUpdate[]>;
  send(message: OutgoingMessage, threadId: string | null): Promise<SentRef>;
  watch(): Promise<{ expiresAt: string }>;
  stopWatch(): Promise<void>;
}

/** Counts provider calls and quota units for one activity, so the workflow can pace the account. */
export interface CallMeter {
  calls: number;
  units: number;
}

export const newMeter = (): CallMeter => ({ calls: 0, units: 0 });
