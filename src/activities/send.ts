import { Context, log } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { findAccount } from '../db/repositories/accounts';
import { listAttachments } from '../db/repositories/attachments';
import { appendEvent } from '../db/repositories/events';
import { clearSendCallStarted, countSendAttempt, findMessage, markSendCallStarted, markSent } from '../db/repositories/messages';
import { breakLinksElsewhere, linkThreadForSend } from '../db/repositories/thread-links';
import type { AccountRow, MessageRow } from '../db/schema';
import { FailureType } from '../failure-type';
import { sendOutcome, type SendAttemptEnd } from '../metrics/labels';
import { buildMime } from '../mime';
import { providerAnswered } from '../providers/errors';
import { newMeter, type OutgoingMessage, type SentRef } from '../providers/types';
import type { SendResult } from '../workflows/definitions';
import type { ActivityDeps } from './deps';
import { providerFailure } from './failures';
import type { MailboxFactory } from './mailboxes';

/** What a retried send waits for beyond the earlier call's own timeout: a server may finish a request late. */
export const DEFAULT_SEND_SETTLE_MS = 60_000;

/** Each provider call gets at most half the attempt's time, so an attempt never outlives its own calls. */
export const callTimeoutFor = (startToCloseMs: number | undefined): number => Math.max(1_000, Math.floor((startToCloseMs ?? 120_000) / 2));

/**
 * Exactly once (R22): the message row and its Message-ID exist before any provider call, and the time
 * the provider call started is stored before it is made and cleared once the provider answered. An
 * attempt that finds an unanswered earlier call first looks the Message-ID up; if it is not there yet,
 * it sends only once that earlier call can no longer land (its timeout plus a settle time), and until
 * then the send's fate is unknown (`SendInDoubt`), never failed.
 */
export function sendActivities(deps: ActivityDeps, openMailbox: MailboxFactory) {
  return {
    /** One attempt of a CRM send, counted by its outcome. */
    async sendMessage(input: { accountId: string; messageId: string; connectionId: string; settleMs?: number }): Promise<SendResult & { units: number }> {
      const account = await findAccount(deps.db, input.accountId);
      const count = (end: SendAttemptEnd) => {
        if (account) deps.metrics?.sendAttempts.inc({ provider: account.provider, outcome: sendOutcome(end) });
      };
      try {
        const result = await attemptSend(deps, openMailbox, input, account);
        count(result);
        return result;
      } catch (err) {
        count({ failureType: err instanceof ApplicationFailure ? (err.type ?? null) : null });
        throw err;
      }
    },
  };
}

async function attemptSend(
  deps: ActivityDeps,
  openMailbox: MailboxFactory,
  input: { accountId: string; messageId: string; connectionId: string; settleMs?: number },
  account: AccountRow | null,
): Promise<SendResult & { units: number }> {
  const message = await findMessage(deps.db, input.messageId);
  if (!message) throw ApplicationFailure.create({ type: FailureType.Permanent, message: `message ${input.messageId} does not exist`, nonRetryable: true });
  if (message.send_status === 'sent' && message.provider_message_id) {
    return { messageId: message.id, status: 'sent', providerMessageId: message.provider_message_id, providerThreadId: message.provider_thread_id ?? '', deduplicated: true, units: 0 };
  }
  if (!account) throw ApplicationFailure.create({ type: FailureType.Permanent, message: `account ${input.accountId} does not exist`, nonRetryable: true });
  const ctx = Context.current();
  const callTimeoutMs = callTimeoutFor(ctx.info.startToCloseTimeoutMs);
  const settleMs = input.settleMs ?? DEFAULT_SEND_SETTLE_MS;
  const meter = newMeter();
  const beat = setInterval(() => ctx.heartbeat(), Math.max(500, Math.floor(callTimeoutMs / 4)));
  let unanswered = message.send_attempt_started_at;
  try {
    await countSendAttempt(deps.db, message.id);
    const mailbox = await openMailbox(account, meter, { callTimeoutMs });
    if (unanswered) {
      const found = await mailbox.findByRfcMessageId(message.rfc_message_id);
      if (found) return { ...(await finalizeSend(deps, account, message, found)), deduplicated: true, units: meter.units };
      const settledAt = unanswered.getTime() + callTimeoutMs + settleMs;
      if (Date.now() < settledAt) throw sendInDoubt(settledAt - Date.now(), 'an earlier attempt got no answer from the provider and may still go out');
    }
    const outgoing = await buildOutgoing(deps, account, message);
    unanswered = await markSendCallStarted(deps.db, message.id);
    let sent: SentRef;
    try {
      sent = await mailbox.send(outgoing, message.provider_thread_id);
    } catch (err) {
      if (providerAnswered(account.provider, err)) {
        await clearSendCallStarted(deps.db, message.id);
        unanswered = null;
      }
      throw err;
    }
    const result = await finalizeSend(deps, account, message, sent);
    log.info('message sent', { providerMessageId: result.providerMessageId });
    return { ...result, deduplicated: false, units: meter.units };
  } catch (err) {
    const failure = err instanceof ApplicationFailure ? err : providerFailure(deps, account.provider, err);
    // A refusal now says nothing about an earlier call that got no answer: that send may have gone out.
    if (unanswered && failure.nonRetryable && failure.type !== FailureType.SendInDoubt) {
      throw sendInDoubt(Math.max(1_000, unanswered.getTime() + callTimeoutMs + settleMs - Date.now()), failure.message, failure.type ?? undefined);
    }
    throw failure;
  } finally {
    clearInterval(beat);
  }
}

function sendInDoubt(retryAfterMs: number, reason: string, cause?: string): ApplicationFailure {
  return ApplicationFailure.create({
    type: FailureType.SendInDoubt,
    message: `the send's fate is not known yet: ${reason}`,
    nonRetryable: true,
    details: [{ reason, retryAfterMs, ...(cause ? { cause } : {}) }],
  });
}

/** The message as MIME, and for Graph the same without attachments plus the attachments on their own. */
async function buildOutgoing(deps: ActivityDeps, account: AccountRow, message: MessageRow): Promise<OutgoingMessage> {
  const attachments = (await listAttachments(deps.db, message.id)).map((a) => ({ filename: a.filename, contentType: a.content_type, content: a.content ?? Buffer.alloc(0) }));
  const user = await deps.db
    .selectFrom('connections as c')
    .innerJoin('users as u', 'u.id', 'c.user_id')
    .select('u.name')
    .where('c.id', '=', message.connection_id)
    .executeTakeFirst();
  const addr = (address: string) => ({ address });
  const build = async (withAttachments: boolean) =>
    (
      await buildMime({
        from: { address: account.address, ...(user?.name ? { name: user.name } : {}) },
        to: message.to_addresses.map(addr),
        cc: message.cc_addresses.map(addr),
        bcc: message.bcc_addresses.map(addr),
        subject: message.subject,
        ...(message.text_body ? { text: message.text_body } : {}),
        ...(message.html_body ? { html: message.html_body } : {}),
        attachments: withAttachments ? attachments : [],
        messageId: message.rfc_message_id,
        ...(message.in_reply_to ? { inReplyTo: message.in_reply_to } : {}),
        ...(message.references.length ? { references: message.references } : {}),
        date: message.created_at,
      })
    ).raw;
  return { raw: await build(true), withoutAttachments: () => build(false), attachments };
}

/** The provider has it: record its ids, link the thread in this location (R1) and break it elsewhere (R12). */
async function finalizeSend(deps: ActivityDeps, account: AccountRow, message: MessageRow, sent: SentRef) {
  await deps.db.transaction().execute(async (trx) => {
    await markSent(trx, message.id, sent);
    await linkThreadForSend(trx, {
      accountId: account.id,
      providerThreadId: sent.providerThreadId,
      locationId: message.location_id,
      connectionId: message.connection_id,
      conversationId: message.conversation_id,
    });
    await breakLinksElsewhere(trx, account.id, sent.providerThreadId, message.location_id);
    await appendEvent(trx, {
      type: 'message.sent',
      locationId: message.location_id,
      connectionId: message.connection_id,
      payload: { messageId: message.id, conversationId: message.conversation_id, providerMessageId: sent.providerMessageId },
    });
  });
  return { messageId: message.id, status: 'sent' as const, providerMessageId: sent.providerMessageId, providerThreadId: sent.providerThreadId };
}
