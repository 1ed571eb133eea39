import type { AccountCounters } from '../limits/counters';
import type { FaultSpec } from '../limits/faults';
import type { AddressInput, AttachmentInput } from '../mail/compose';

/** A grant usable with the token endpoint: `refresh_token` grant with these client credentials. */
export interface AccountGrant {
  address: string;
  refreshToken: string;
  clientId: string;
  clientSecret: string;
}

/** A message from an outside sender arriving in sandbox inboxes. */
export interface DeliverInput {
  from: AddressInput;
  /** To header; defaults to the recipients delivered to. */
  to?: AddressInput | AddressInput[];
  cc?: AddressInput | AddressInput[];
  /** Recorded nowhere the recipients can see; listed for completeness of the envelope. */
  bcc?: AddressInput | AddressInput[];
  subject?: string;
  text?: string;
  html?: string;
  attachments?: AttachmentInput[];
  inReplyTo?: string;
  references?: string | string[];
  messageId?: string;
  /** Date header and internal date; set it in the past to simulate an old message. */
  date?: Date | string | number;
}

/** The account owner sending from the mail client (Gmail web or a phone), not through the API. */
export interface OwnerSendInput {
  to?: AddressInput | AddressInput[];
  cc?: AddressInput | AddressInput[];
  bcc?: AddressInput | AddressInput[];
  subject?: string;
  text?: string;
  html?: string;
  attachments?: AttachmentInput[];
  /** Reply to this message of the mailbox: Re: subject, In-Reply-To/References, same thread. */
  replyToProviderMessageId?: string;
  /** Forward this message of the mailbox: Fwd: subject, its text quoted and attachments kept. */
  forwardOf?: string;
  messageId?: string;
}

export interface DeliveredCopy {
  address: string;
  messageId: string;
  threadId: string;
}

export interface DeliverResult {
  /** Provider ids in the first (or only) mailbox. */
  messageId: string;
  threadId: string;
  rfcMessageId: string;
  /** One entry per mailbox the message landed in (sender's Sent copy first for owner sends). */
  copies: DeliveredCopy[];
}

export interface SandboxMessage {
  id: string;
  threadId: string;
  labelIds: string[];
  internalDate: string;
  historyId: string;
  rfcMessageId: string;
  subject: string;
  from: string;
  to: string[];
  cc: string[];
  bcc: string[];
  inReplyTo: string[];
  references: string[];
  text: string;
  html: string | null;
  attachments: { filename: string; contentType: string; size: number }[];
  sizeEstimate: number;
}

export interface WatchInfo {
  active: boolean;
  topicName: string | null;
  labelIds: string[];
  labelFilterBehavior: 'include' | 'exclude' | null;
  /** Epoch ms as a string, as users.watch returns it; null when never watched or stopped. */
  expiration: string | null;
}

/** The sandbox control API; the HTTP form under /sandbox/gmail/ drives the same operations. */
export interface GmailSandboxControl {
  createAccount(address: string, opts?: { name?: string }): AccountGrant;
  listAccounts(): { address: string; name: string }[];
  deliver(to: string | string[], message: DeliverInput): Promise<DeliverResult>;
  sendAsOwner(address: string, message: OwnerSendInput): Promise<DeliverResult>;
  listMessages(address: string, opts?: { label?: string }): SandboxMessage[];
  getMessage(address: string, id: string): SandboxMessage;
  /** The raw RFC 5322 bytes of a stored message. */
  getRaw(address: string, id: string): Buffer;
  revoke(address: string): void;
  expireAccessTokens(address: string): void;
  expireHistory(address: string): void;
  historyId(address: string): string;
  modifyLabels(address: string, id: string, add?: string[], remove?: string[]): SandboxMessage;
  injectFaults(spec: FaultSpec): { id: number };
  clearFaults(): void;
  counters(address: string): AccountCounters;
  resetCounters(address?: string): void;
  setPushEndpoint(url: string | null, audience?: string): void;
  watchState(address: string): WatchInfo;
}
