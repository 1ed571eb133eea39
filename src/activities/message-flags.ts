import { ApplicationFailure } from '@temporalio/common';
import { findAccount } from '../db/repositories/accounts';
import { findMessage } from '../db/repositories/messages';
import { FailureType } from '../failure-type';
import { newMeter } from '../providers/types';
import type { MessageFlagsResult } from '../workflows/definitions';
import type { ActivityDeps } from './deps';
import { providerFailure } from './failures';
import type { MailboxFactory } from './mailboxes';
import { applyUpdates } from './sync/apply-updates';

const permanent = (message: string) => ApplicationFailure.create({ type: FailureType.Permanent, message, nonRetryable: true });

/**
 * The CRM marks a synced message read or unread: the provider first (Gmail `messages.modify`, Graph
 * `PATCH isRead`), then the state it answered is stored with `message.updated` (origin `crm`). When the
 * change stream later reports the same state, it equals what is stored and changes nothing (no echo).
 * Setting a flag twice is harmless, so a retried attempt is safe.
 */
export function messageFlagActivities(deps: ActivityDeps, openMailbox: MailboxFactory) {
  return {
    async applyMessageFlags(input: { accountId: string; messageId: string; read: boolean }): Promise<MessageFlagsResult & { units: number }> {
      const message = await findMessage(deps.db, input.messageId);
      if (!message?.provider_message_id || message.account_id !== input.accountId) throw permanent(`message ${input.messageId} is not in this mailbox`);
      const account = await findAccount(deps.db, input.accountId);
      if (!account) throw permanent(`account ${input.accountId} does not exist`);
      const meter = newMeter();
      const mailbox = await openMailbox(account, meter);
      let state;
      try {
        state = await mailbox.setRead(message.provider_message_id, input.read);
      } catch (err) {
        throw providerFailure(deps, account.provider, err);
      }
      const update = { providerMessageId: message.provider_message_id, ...state };
      const changed = await deps.db.transaction().execute((trx) => applyUpdates(trx, account.id, [update], 'crm', deps.clock.now()));
      return { messageId: message.id, read: state.read ?? input.read, changed: changed > 0, units: meter.units };
    },
  };
}
