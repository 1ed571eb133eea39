/**
 * The CRM's read / unread changes: checked before they enter history, then made through the provider
 * gate like every provider call of the account, so they are paced with sync and sends.
 */
import { ApplicationFailure, patched } from '@temporalio/workflow';
import { FailureType } from '../failure-type';
import { FLAGS_UNIT_ESTIMATE } from './activity-proxies';
import { flagsSummary } from './activity-summaries';
import type { MessageFlagsArgs, MessageFlagsResult } from './definitions';
import { enterNeedsReauth, type Mailbox } from './mailbox-steps';
import { readFailure } from './read-failure';
import type { MailboxState } from './state';

export function validateMessageFlags(state: MailboxState, _args: MessageFlagsArgs): void {
  if (state.status === 'needs_reauth') {
    throw ApplicationFailure.create({ type: FailureType.ReauthRequired, message: `${state.address} needs to be reconnected: the provider refused its credentials` });
  }
  if (state.bindings.length === 0) {
    throw ApplicationFailure.create({ type: FailureType.MailboxDisconnected, message: `${state.address} is not connected` });
  }
}

export async function setMessageFlags(mailbox: Mailbox, args: MessageFlagsArgs): Promise<MessageFlagsResult> {
  const { state, activities, exclusive } = mailbox;
  // Runs recorded before the CRM could set flags never reach here; the marker names the ones that do.
  patched('message-flags');
  try {
    const { units: _units, ...result } = await exclusive(FLAGS_UNIT_ESTIMATE, () =>
      activities.flagging.applyMessageFlags.executeWithOptions({ summary: flagsSummary(args.messageId, args.read) }, [
        { accountId: state.accountId, messageId: args.messageId, read: args.read },
      ]),
    );
    return result;
  } catch (err) {
    const failure = readFailure(err);
    if (failure.type === FailureType.AuthRevoked) await enterNeedsReauth(mailbox, failure.reason);
    throw ApplicationFailure.create({ type: failure.type ?? FailureType.Permanent, message: failure.reason, nonRetryable: true });
  }
}
