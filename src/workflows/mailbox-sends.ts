/**
 * The mailbox workflow's sends: the update's validator, one attempt through the provider gate, and
 * sends held in doubt (their provider call got no answer), looked up again until they settle.
 */
import { ApplicationFailure, patched } from '@temporalio/workflow';
import { FailureType } from '../failure-type';
import { checkSendQuota } from '../rules/send-quota';
import { bookkeeping, SEND_UNIT_ESTIMATE } from './activity-proxies';
import { sendOutcomeSummary, sendSummary } from './activity-summaries';
import type { SendArgs, SendResult } from './definitions';
import { due, enterNeedsReauth, iso, now, type Mailbox } from './mailbox-steps';
import { inDoubtRetryMs, readFailure, sendFailureFate } from './read-failure';
import { releaseSendSlot, slotTimes, takeSendSlot } from './send-slots';
import type { MailboxState } from './state';

const DEFAULT_SEND_SETTLE_MS = 60_000;

/** Rejects a send before it enters history: an unbound connection, a mailbox needing re-auth, or R16's daily limit. */
export function validateSend(state: MailboxState, args: SendArgs): void {
  if (!state.bindings.some((b) => b.connectionId === args.connectionId)) {
    throw ApplicationFailure.create({ type: FailureType.MailboxDisconnected, message: `connection ${args.connectionId} is not connected to this mailbox` });
  }
  if (state.status === 'needs_reauth') {
    throw ApplicationFailure.create({ type: FailureType.ReauthRequired, message: `${state.address} needs to be reconnected: the provider refused its credentials` });
  }
  const quota = checkSendQuota({ sentAt: slotTimes(state.sendSlots), limit: state.sendLimit, now: new Date().toISOString() });
  if (!quota.ok) {
    throw ApplicationFailure.create({
      type: FailureType.SendLimitReached,
      message: `${state.address} reached its limit of ${quota.limit} sends in 24 hours; next send allowed at ${quota.nextAllowedAt}`,
      details: [{ nextAllowedAt: quota.nextAllowedAt, limit: quota.limit }],
    });
  }
}

/** The send update: take the message's quota slot, then attempt it. */
export async function send(mailbox: Mailbox, args: SendArgs): Promise<SendResult> {
  const { state } = mailbox;
  state.sendSlots = takeSendSlot(state.sendSlots, args.messageId, iso(now()));
  return attemptSend(mailbox, args.messageId, args.connectionId, false);
}

/** One send attempt through the provider gate: sent, refused (failed), or in doubt (kept and looked up later). */
async function attemptSend(mailbox: Mailbox, messageId: string, connectionId: string, inDoubt: boolean): Promise<SendResult> {
  const { state, timers, activities, exclusive } = mailbox;
  try {
    const { units: _units, ...result } = await exclusive(SEND_UNIT_ESTIMATE, () =>
      activities.sending.sendMessage.executeWithOptions({ summary: sendSummary(messageId, connectionId, inDoubt) }, [
        { accountId: state.accountId, messageId, connectionId, settleMs: timers.sendSettleMs ?? DEFAULT_SEND_SETTLE_MS },
      ]),
    );
    state.counters.sends++;
    return result;
  } catch (err) {
    const failure = readFailure(err);
    const fate = sendFailureFate(failure.type);
    // Runs recorded before sends could be in doubt marked every failure failed; they replay as they ran.
    if (fate === 'in_doubt' || (fate === 'unproven' && patched('send-fate-unknown'))) return holdInDoubt(mailbox, messageId, connectionId, err);
    // A send that never reached the provider gives its quota slot back.
    state.sendSlots = releaseSendSlot(state.sendSlots, messageId);
    await bookkeeping.markSendFailed.executeWithOptions({ summary: sendOutcomeSummary(messageId, 'failed') }, [{ messageId, reason: failure.reason }]);
    if (failure.type === FailureType.AuthRevoked) await enterNeedsReauth(mailbox, failure.reason);
    throw ApplicationFailure.create({ type: failure.type ?? FailureType.SendFailed, message: failure.reason, nonRetryable: true });
  }
}

async function holdInDoubt(mailbox: Mailbox, messageId: string, connectionId: string, err: unknown): Promise<SendResult> {
  const { state, timers } = mailbox;
  const failure = readFailure(err);
  const { reason } = failure;
  const retryAt = iso(now() + inDoubtRetryMs(failure, timers.sendSettleMs ?? DEFAULT_SEND_SETTLE_MS));
  state.sendsInDoubt = [...state.sendsInDoubt.filter((d) => d.messageId !== messageId), { messageId, connectionId, retryAt, reason }];
  await bookkeeping.markSendUnknown.executeWithOptions({ summary: sendOutcomeSummary(messageId, 'unknown') }, [{ messageId, reason }]);
  if (failure.causeType === FailureType.AuthRevoked) await enterNeedsReauth(mailbox, reason);
  return { messageId, status: 'unknown', reason };
}

/** Sends in doubt whose time has come: look the Message-ID up again, and send only when it is safe. */
export async function settleSendsInDoubt(mailbox: Mailbox): Promise<void> {
  const { state } = mailbox;
  for (const doubt of state.sendsInDoubt.filter((d) => due(d.retryAt))) {
    if (state.status !== 'active') return;
    state.sendsInDoubt = state.sendsInDoubt.filter((d) => d.messageId !== doubt.messageId);
    try {
      await attemptSend(mailbox, doubt.messageId, doubt.connectionId, true);
    } catch (err) {
      mailbox.log.warn('a send in doubt was refused by the provider', { connectionId: doubt.connectionId, messageId: doubt.messageId, reason: readFailure(err).reason });
    }
  }
}
