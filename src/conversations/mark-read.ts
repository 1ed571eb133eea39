import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { Db } from '../db/client';
import { findAccount } from '../db/repositories/accounts';
import { findMessage } from '../db/repositories/messages';
import { DomainError, NotFound, type DomainErrorKind } from '../domain-errors';
import { FailureType } from '../failure-type';
import { messageFlagsUpdate } from '../workflows/definitions';
import { mailboxWorkflowId } from '../workflows/state';
import { viewMessage, type MessageView } from './message-view';

const REFUSALS: Record<string, DomainErrorKind> = {
  [FailureType.ReauthRequired]: 'reauth_required',
  [FailureType.AuthRevoked]: 'reauth_required',
  [FailureType.MailboxDisconnected]: 'mailbox_disconnected',
  [FailureType.Permanent]: 'message_not_in_mailbox',
};

/**
 * The CRM marks a message read or unread. The change goes through the account's workflow, which makes
 * the provider call through its gate (paced with sync and sends) and stores the answer; the message is
 * returned as it is then.
 */
export async function markMessageRead(deps: { db: Db; temporal: Client }, messageId: string, read: boolean): Promise<MessageView> {
  const message = await findMessage(deps.db, messageId);
  if (!message) throw new NotFound('message', messageId);
  if (!message.provider_message_id || message.deletion === 'permanent') {
    throw new DomainError('message_not_in_mailbox', `message ${messageId} is not in the mailbox${message.provider_message_id ? ' any more' : ' (yet)'}`, { messageId });
  }
  const account = await findAccount(deps.db, message.account_id);
  if (!account) throw new NotFound('account', message.account_id);
  try {
    await deps.temporal.workflow.getHandle(mailboxWorkflowId(account.provider, account.id)).executeUpdate(messageFlagsUpdate, { args: [{ messageId, read }] });
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) throw new DomainError('mailbox_disconnected', `the mailbox of message ${messageId} is not connected`, { messageId });
    const failure = err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure ? err.cause : null;
    const kind = (failure?.type && REFUSALS[failure.type]) || 'provider_unavailable';
    throw new DomainError(kind, failure?.message ?? (err as Error).message, { messageId });
  }
  return (await viewMessage(deps.db, messageId))!;
}
