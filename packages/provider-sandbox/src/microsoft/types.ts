import type { MailboxCounters } from '../shared/counters';
import type { FaultSpec } from '../shared/faults';

/** Public shapes of the Microsoft Graph + Entra sandbox. */

export type { FaultSpec, MailboxCounters };

export interface GraphSandboxOptions {
  /** Interface to bind; only loopback makes sense for a sandbox. Default 127.0.0.1. */
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Where the CA lives; default ~/.cache/mailsync/sandbox-ca. */
  certDir?: string;
  clientId?: string;
  clientSecret?: string;
  /** Tenant id used in the authority, id tokens and notifications. */
  tenant?: string;
  /** Outlook's per-mailbox concurrency limit (4). */
  maxConcurrentPerMailbox?: number;
  /** Deliver every change notification here instead of the subscription's notificationUrl. */
  notificationUrlOverride?: string;
  /** Per-mailbox request window; Outlook allows 10,000 requests per 10 minutes. */
  requestWindow?: { limit: number; windowMs: number };
  /** Longest subscription lifetime for messages (4,230 minutes). */
  subscriptionMaxMinutes?: number;
  /** Waits between notification delivery attempts; Graph keeps retrying for up to 4 hours. */
  notificationRetryDelaysMs?: number[];
  /** How long the validation handshake may take (10 s). */
  validationTimeoutMs?: number;
  accessTokenLifetimeSeconds?: number;
  /**
   * How long a refresh token stays redeemable after it was issued (Entra: 90 days). Each redemption
   * returns a new one; an older one is refused with invalid_grant AADSTS700082.
   */
  refreshTokenMaxAgeMs?: number;
  /** Delta sync states kept per mailbox before the oldest are evicted (then 410 SyncStateNotFound). */
  maxSyncStatesPerMailbox?: number;
}

export type AddressInput = string | { name?: string; address: string };

export interface AttachmentInput {
  filename: string;
  contentType?: string;
  /** Bytes, or text taken as UTF-8. */
  content: Uint8Array | string;
  inline?: boolean;
  contentId?: string;
}

export interface SandboxGrant {
  address: string;
  /** The account's object id (`oid`), also its id under /users/{id}. */
  userId: string;
  refreshToken: string;
  clientId: string;
  clientSecret: string;
  tenant: string;
}

/** A message from an outside sender (or another sandbox account) arriving in one mailbox's Inbox. */
export interface DeliverInput {
  from: AddressInput;
  to?: AddressInput[];
  cc?: AddressInput[];
  bcc?: AddressInput[];
  subject?: string;
  text?: string;
  html?: string;
  attachments?: AttachmentInput[];
  inReplyTo?: string;
  references?: string[] | string;
  internetMessageId?: string;
  receivedDateTime?: string;
  /** Extra transport headers (e.g. Thread-Index from another Exchange mailbox). */
  headers?: Record<string, string>;
  /** Where it lands (folder id or well-known name), as an inbox rule files it; the Inbox when absent. */
  folder?: string;
}

/** What the account owner does in Outlook: a new mail, a reply (replyToId) or a forward (forwardOf). */
export interface SendAsOwnerInput {
  to?: AddressInput[];
  cc?: AddressInput[];
  bcc?: AddressInput[];
  subject?: string;
  text?: string;
  html?: string;
  attachments?: AttachmentInput[];
  replyToId?: string;
  replyAll?: boolean;
  forwardOf?: string;
  internetMessageId?: string;
}

export interface MessageRef {
  /** The default (REST) id in its current folder. */
  id: string;
  immutableId: string;
  conversationId: string;
  internetMessageId: string;
}

export type LifecycleEvent = 'reauthorizationRequired' | 'subscriptionRemoved' | 'missed';

export interface SubscriptionInfo {
  id: string;
  address: string;
  resource: string;
  changeType: string;
  notificationUrl: string;
  lifecycleNotificationUrl: string | null;
  clientState: string | null;
  expirationDateTime: string;
  notificationsDelivered: number;
  failedAttempts: number;
}

/** A message as listed by the control API: its Graph shape plus where it sits. */
export type SandboxMessageView = Record<string, unknown> & {
  id: string;
  immutableId: string;
  folder: string;
  conversationId: string;
  internetMessageId: string;
  subject: string;
};

export interface GraphSandboxControl {
  createAccount(address: string, options?: { displayName?: string }): Promise<SandboxGrant>;
  deliver(to: string, message: DeliverInput): Promise<MessageRef>;
  sendAsOwner(address: string, message: SendAsOwnerInput): Promise<MessageRef>;
  listMessages(address: string, options?: { folder?: string }): Promise<SandboxMessageView[]>;
  revoke(address: string): Promise<void>;
  expireDeltaTokens(address: string): Promise<void>;
  triggerLifecycle(subscriptionId: string, event: LifecycleEvent): Promise<void>;
  injectFaults(spec: FaultSpec | FaultSpec[]): Promise<void>;
  clearFaults(): Promise<void>;
  counters(address: string): Promise<MailboxCounters>;
  resetCounters(address?: string): Promise<void>;
  subscriptions(address: string): Promise<SubscriptionInfo[]>;
}

export interface GraphSandbox {
  /** https://localhost:PORT */
  origin: string;
  /** origin + '/', for Client.init's baseUrl. */
  graphBaseUrl: string;
  /** origin + '/' + tenant, for MSAL's authority. */
  authority: string;
  /** host:port, for MSAL's knownAuthorities. */
  authorityHost: string;
  tenant: string;
  clientId: string;
  clientSecret: string;
  caPem: string;
  caFile: string;
  control: GraphSandboxControl;
  close(): Promise<void>;
}
