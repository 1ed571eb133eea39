import type { MailboxCounters } from '../shared/counters';
import type { FaultSpec } from '../shared/faults';

/** Public shapes of the Gmail sandbox: options, the control API and what it returns. */

export type { FaultSpec, MailboxCounters };

export interface GmailSandboxOptions {
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  clientId?: string;
  clientSecret?: string;
  pushEndpoint?: string;
  /** Defaults to the push endpoint URL, as Pub/Sub does. */
  pushAudience?: string;
  /** How many history records each mailbox keeps (default 10,000). */
  historyRetention?: number;
  /** Per user, rolling minute (default 15,000). */
  quotaUnitsPerMinute?: number;
  /** Rolling 24 hours (default 2,000). */
  dailySendLimit?: number;
  /** At most one push per account in this interval (default 1,000). */
  pushMinIntervalMs?: number;
  /** Requests in flight per user before 429 (default 10). */
  concurrentRequestLimit?: number;
  /** Access token lifetime (default 3,600). */
  accessTokenTtlSeconds?: number;
  /** Waits between push attempts; its length is the number of retries (default 200, 1000, 3000 ms). */
  pushRetryDelaysMs?: number[];
  /** Overrides of the per-method quota units. */
  quotaUnits?: Partial<Record<GmailMethod, number>>;
}

export type GmailMethod =
  | 'getProfile'
  | 'watch'
  | 'stop'
  | 'history.list'
  | 'labels.list'
  | 'messages.list'
  | 'messages.get'
  | 'messages.attachments.get'
  | 'messages.send'
  | 'messages.insert'
  | 'messages.import'
  | 'messages.modify'
  | 'messages.trash'
  | 'messages.untrash'
  | 'messages.delete'
  | 'threads.get'
  | 'threads.list'
  | 'drafts.create'
  | 'drafts.update'
  | 'drafts.get'
  | 'drafts.delete'
  | 'drafts.send';

export interface GmailSandbox {
  /** e.g. http://127.0.0.1:PORT/ (trailing slash; usable as googleapis rootUrl). */
  url: string;
  tokenUrl: string;
  authUrl: string;
  revokeUrl: string;
  /** JWKS of the key that signs id tokens and push tokens. */
  certsUrl: string;
  /** PEM map (`{kid: certificate}`) of the same key, as google-auth-library's verifyIdToken reads. */
  pemCertsUrl: string;
  clientId: string;
  clientSecret: string;
  /** The service account named in push tokens. */
  pushServiceAccount: string;
  control: GmailSandboxControl;
  close(): Promise<void>;
}

export interface AccountGrant {
  address: string;
  refreshToken: string;
  clientId: string;
  clientSecret: string;
}

export interface OutgoingAttachment {
  filename: string;
  contentType?: string;
  /** Buffer, or base64 text (the form the HTTP control API takes). */
  content: string | Buffer;
}

export type AddressList = string | string[];

export interface DeliverInput {
  from: string;
  /** Header To; defaults to the delivery targets. */
  to?: AddressList;
  cc?: AddressList;
  bcc?: AddressList;
  subject?: string;
  text?: string;
  html?: string;
  attachments?: OutgoingAttachment[];
  inReplyTo?: string;
  references?: string | string[];
  messageId?: string;
  /** Date header and internal date (ISO text or Date), to simulate an old message. */
  date?: string | Date;
}

/** Bytes delivered as an outside mail server hands them over, unchecked: malformed MIME is kept as it is. */
export interface DeliverRawInput {
  /** The whole RFC 822 message: a Buffer, or base64 text (the form the HTTP control API takes). */
  raw: string | Buffer;
  /** Internal date (ISO text or Date); now when absent. */
  date?: string | Date;
}

export interface SendAsOwnerInput {
  to?: AddressList;
  cc?: AddressList;
  bcc?: AddressList;
  subject?: string;
  text?: string;
  html?: string;
  attachments?: OutgoingAttachment[];
  replyToProviderMessageId?: string;
  forwardOf?: string;
  messageId?: string;
}

export interface DeliveredCopy {
  address: string;
  messageId: string;
  threadId: string;
}

export interface MessageRef {
  /** Provider id in the first target mailbox (the sender's for sendAsOwner). */
  messageId: string;
  threadId: string;
  rfcMessageId: string;
  /** Every mailbox that got a copy. */
  copies: DeliveredCopy[];
}

export interface SandboxMessage {
  id: string;
  threadId: string;
  labelIds: string[];
  historyId: string;
  internalDate: string;
  rfcMessageId: string;
  subject: string;
  from: string[];
  to: string[];
  cc: string[];
  bcc: string[];
  inReplyTo: string[];
  references: string[];
  snippet: string;
  sizeEstimate: number;
}

export interface SandboxMessageDetail extends SandboxMessage {
  /** Whole RFC 822 message, base64url. */
  raw: string;
  text: string;
}

export interface WatchState {
  active: boolean;
  expiration: string | null;
  topicName: string | null;
  labelIds: string[];
  labelFilterBehavior: 'include' | 'exclude' | null;
}

export interface GmailSandboxControl {
  createAccount(address: string, opts?: { name?: string }): AccountGrant;
  /** A fresh refresh token for an existing account (a re-consent). */
  issueGrant(address: string): AccountGrant;
  accounts(): string[];
  deliver(to: AddressList, input: DeliverInput): Promise<MessageRef>;
  /** Delivers raw bytes into the accounts' inboxes without composing or checking them (e.g. malformed MIME). */
  deliverRaw(to: AddressList, input: DeliverRawInput): Promise<MessageRef>;
  sendAsOwner(address: string, input: SendAsOwnerInput): Promise<MessageRef>;
  listMessages(address: string, opts?: { label?: string }): SandboxMessage[];
  getMessage(address: string, id: string): SandboxMessageDetail;
  modifyLabels(address: string, id: string, add?: string[], remove?: string[]): SandboxMessage;
  deleteMessage(address: string, id: string): void;
  revoke(address: string): void;
  expireAccessTokens(address: string): void;
  expireHistory(address: string): void;
  currentHistoryId(address: string): string;
  injectFaults(spec: FaultSpec | FaultSpec[]): void;
  clearFaults(): void;
  counters(address: string): MailboxCounters;
  resetCounters(address?: string): void;
  setPushEndpoint(url: string | null, audience?: string): void;
  /** Push tokens name this service account (and `email_verified`), as another project's subscription would; null: the sandbox's own. */
  setPushIdentity(identity: { serviceAccount: string; emailVerified?: boolean } | null): void;
  watchState(address: string): WatchState;
  /** Resolves when no push is scheduled or in flight. */
  pushesSettled(): Promise<void>;
}
