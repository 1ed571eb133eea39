/**
 * The mailbox workflow's Temporal definitions (signals, update, query), typed and shared by the API and
 * the workflow: never signal, update or query it by a string name elsewhere.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { Binding, MailboxState } from './state';

export interface ConnectArgs {
  binding: Binding;
  /** True when the connection brought new credentials (re-auth): leave needs_reauth and resume. */
  newCredentials: boolean;
  /** R16: the account's sends per rolling 24 h (500 by default, e.g. 2000 for Workspace). */
  sendLimit?: number;
}
export interface DisconnectArgs {
  connectionId: string;
  reason: 'disconnected' | 'account_updated';
}
export interface NotifyArgs {
  source: 'push' | 'poll' | 'api';
  /** The provider's position named by the push (Gmail historyId), if any; informational only. */
  hint?: string;
  /** Graph lifecycle events: renew or recreate the subscription, then resync (missed notifications). */
  lifecycle?: 'reauthorizationRequired' | 'subscriptionRemoved' | 'missed';
}
export interface SendArgs {
  messageId: string;
  connectionId: string;
  attachments: { filename: string; size: number; contentType: string }[];
}
/**
 * `sent`: the provider has it. `unknown`: the provider's answer was lost; the workflow keeps looking the
 * Message-ID up on a timer and settles the message as sent or failed (never sent twice).
 */
export type SendResult =
  | { messageId: string; status: 'sent'; providerMessageId: string; providerThreadId: string; deduplicated: boolean }
  | { messageId: string; status: 'unknown'; reason: string };

/** The CRM marks a synced message read or unread in the mailbox (PATCH /v1/messages/:id). */
export interface MessageFlagsArgs {
  messageId: string;
  read: boolean;
}
/** `changed`: false when the mailbox already had it so (no event then). */
export interface MessageFlagsResult {
  messageId: string;
  read: boolean;
  changed: boolean;
}

export const connectSignal = defineSignal<[ConnectArgs]>('connect');
export const disconnectSignal = defineSignal<[DisconnectArgs]>('disconnect');
export const notifySignal = defineSignal<[NotifyArgs]>('notify');
export const sendUpdate = defineUpdate<SendResult, [SendArgs]>('send');
export const messageFlagsUpdate = defineUpdate<MessageFlagsResult, [MessageFlagsArgs]>('messageFlags');
export const stateQuery = defineQuery<MailboxState>('state');
