import { ApplicationFailure } from '@temporalio/common';
import { sql } from 'kysely';
import { findAccount } from '../db/repositories/accounts';
import { appendEvent } from '../db/repositories/events';
import type { AccountRow, MessageRow } from '../db/schema';
import { buildMime } from '../mime';
import { newMeter, type SentRef } from '../providers/types';
import type { SendResult } from '../workflows/messages';
import type { ActivityDeps } from './deps';
import { FailureType, toActivityFailure } from './failures';
import type { MailboxFactory } from './mailboxes';

/**
 * Exactly once (R22): the message row and its Message-ID exist before any provider call. Each attempt
 * is counted in Postgres before the call; an attempt that follows another first asks the provider
 * whether the Message-ID already arrived, and never sends twice.
 */
export function sendActivities(deps: ActivityDeps, openMailbox: MailboxFactory) {
  return {
    async sendMessage(input: { accountId: string; messageId: string; connectionId: string }): Promise<SendResult & { units: number }> {
      const message = await deps.db.selectFrom('messages').selectAll().where('id', '=', input.messageId).executeTakeFirst();
      if (!message) throw ApplicationFailure.create({ type: FailureType.Permanent, message: `message ${input.messageId} does not exist`, nonRetryable: true });
      if (message.send_status === 'sent' && message.provider_message_id) {
        return { messageId: message.id, providerMessageId: message.provider_message_id, providerThreadId: message.provider_thread_id ?? '', deduplicated: true, units: 0 };
      }
      const account = await findAccount(deps.db, input.accountId);
      if (!account) throw ApplicationFailure.create({ type: FailureType.Permanent, message: `account ${input.accountId} does not exist`, nonRetryable: true });
      const meter = newMeter();
      const mailbox = await openMailbox(account, meter);
      try {
        const attempts = await countAttempt(deps, message.id);
        if (attempts > 1) {
          const found = await mailbox.findByRfcMessageId(message.rfc_message_id);
          if (found) return { ...(await finalizeSend(deps, account, message, found)), deduplicated: true, units: meter.units };
        }
        const raw = await buildRaw(deps, account, message);
        const sent = await mailbox.send(raw, message.provider_thread_id);
        return { ...(await finalizeSend(deps, account, message, sent)), deduplicated: false, units: meter.units };
      } catch (err) {
        if (err instanceof ApplicationFailure) throw err;
        throw toActivityFailure(account.provider, err);
      }
    },
  };
}

async function countAttempt(deps: ActivityDeps, messageId: string): Promise<number> {
  const row = await deps.db
    .updateTable('messages')
    .set({ send_attempts: sql`send_attempts + 1` as never, updated_at: sql`now()` as never })
    .where('id', '=', messageId)
    .returning('send_attempts')
    .executeTakeFirstOrThrow();
  return row.send_attempts;
}

async function buildRaw(deps: ActivityDeps, account: AccountRow, message: MessageRow): Promise<Buffer> {
  const attachments = await deps.db.selectFrom('attachments').selectAll().where('message_id', '=', message.id).orderBy('position').execute();
  const user = await deps.db
    .selectFrom('connections as c')
    .innerJoin('users as u', 'u.id', 'c.user_id')
    .select('u.name')
    .where('c.id', '=', message.connection_id)
    .executeTakeFirst();
  const addr = (address: string) => ({ address });
  const { raw } = await buildMime({
    from: { address: account.address, ...(user?.name ? { name: user.name } : {}) },
    to: message.to_addresses.map(addr),
    cc: message.cc_addresses.map(addr),
    bcc: message.bcc_addresses.map(addr),
    subject: message.subject,
    ...(message.text_body ? { text: message.text_body } : {}),
    ...(message.html_body ? { html: message.html_body } : {}),
    attachments: attachments.map((a) => ({ filename: a.filename, contentType: a.content_type, content: a.content ?? Buffer.alloc(0) })),
    messageId: message.rfc_message_id,
    ...(message.in_reply_to ? { inReplyTo: message.in_reply_to } : {}),
    ...(message.references.length ? { references: message.references } : {}),
    date: message.created_at,
  });
  return raw;
}

/** The provider has it: record its ids, link the thread in this location (R1) and break it elsewhere (R12). */
async function finalizeSend(deps: ActivityDeps, account: AccountRow, message: MessageRow, sent: SentRef) {
  await deps.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('messages')
      .set({ send_status: 'sent', provider_message_id: sent.providerMessageId, provider_thread_id: sent.providerThreadId, send_error: null, updated_at: sql`now()` as never })
      .where('id', '=', message.id)
      .execute();
    await trx
      .insertInto('thread_links')
      .values({
        account_id: account.id,
        provider_thread_id: sent.providerThreadId,
        location_id: message.location_id,
        connection_id: message.connection_id,
        conversation_id: message.conversation_id,
        rule_id: 'R1',
      })
      .onConflict((oc) =>
        oc.columns(['account_id', 'provider_thread_id', 'location_id']).doUpdateSet({
          state: 'active', reason: null, connection_id: message.connection_id, conversation_id: message.conversation_id, rule_id: 'R1', updated_at: sql`now()` as never,
        }),
      )
      .execute();
    await trx
      .updateTable('thread_links')
      .set({ state: 'broken', reason: 'replied_in_other_location', updated_at: sql`now()` as never })
      .where('account_id', '=', account.id)
      .where('provider_thread_id', '=', sent.providerThreadId)
      .where('location_id', '<>', message.location_id)
      .where('state', '=', 'active')
      .execute();
    await appendEvent(trx, {
      type: 'message.sent',
      locationId: message.location_id,
      connectionId: message.connection_id,
      payload: { messageId: message.id, conversationId: message.conversation_id, providerMessageId: sent.providerMessageId },
    });
  });
  return { messageId: message.id, providerMessageId: sent.providerMessageId, providerThreadId: sent.providerThreadId };
}
