import type { DbOrTrx } from '../../db/client';
import { insertAttachments } from '../../db/repositories/attachments';
import { ensureConversation, touchConversation } from '../../db/repositories/conversations';
import { appendEvent } from '../../db/repositories/events';
import { findParentMessageAt, insertSyncedMessage, markSentFromCopy } from '../../db/repositories/messages';
import { PROVISIONAL_REASONS, recordDecision } from '../../db/repositories/sync-decisions';
import { linkThreadIfNew } from '../../db/repositories/thread-links';
import type { AccountRow } from '../../db/schema';
import { newContactId, newMessageId } from '../../ids';
import type { FetchedMessage } from '../../providers/types';
import type { Decision, DecisionTarget } from '../../rules/types';

export interface ApplyResult {
  synced: number;
  matched: number;
  skipped: number;
}

/** One decision applied, for the metrics: counted once its transaction has committed. */
export interface AppliedDecision {
  ruleId: Decision['ruleId'];
  outcome: keyof ApplyResult;
}

/** R18: the first To recipient becomes a contact assigned to the user, unless one already matches. */
async function ensureContact(db: DbOrTrx, locationId: string, target: Extract<DecisionTarget, { kind: 'new_contact' }>): Promise<string> {
  const existing = await db
    .selectFrom('contacts')
    .select('id')
    .where('location_id', '=', locationId)
    .where('email', '=', target.email)
    .orderBy('created_at')
    .orderBy('id')
    .executeTakeFirst();
  if (existing) return existing.id;
  const id = newContactId(target.email);
  await db
    .insertInto('contacts')
    .values({ location_id: locationId, id, email: target.email, name: target.name ?? null, assigned_user_id: target.assignedUserId })
    .execute();
  return id;
}

async function resolveTarget(db: DbOrTrx, locationId: string, target: DecisionTarget): Promise<{ conversationId: string; contactId: string | null }> {
  switch (target.kind) {
    case 'link':
      return { conversationId: target.conversationId, contactId: target.contactId };
    case 'contact':
      return { conversationId: await ensureConversation(db, locationId, target.contactId), contactId: target.contactId };
    case 'new_contact': {
      const contactId = await ensureContact(db, locationId, target);
      return { conversationId: await ensureConversation(db, locationId, contactId), contactId };
    }
    case 'crm_record':
      return { conversationId: target.conversationId, contactId: null };
  }
}

async function linkThread(db: DbOrTrx, account: AccountRow, fetched: FetchedMessage, d: Decision, conversationId: string): Promise<void> {
  if (!d.threadLink) return;
  await linkThreadIfNew(db, {
    accountId: account.id,
    providerThreadId: fetched.providerThreadId,
    locationId: d.locationId,
    connectionId: d.connectionId,
    conversationId,
    ruleId: d.threadLink.ruleId,
  });
}

/** Stores the provider message in one location; a retried page finds it there and changes nothing (R22). */
async function storeMessage(db: DbOrTrx, account: AccountRow, fetched: FetchedMessage, d: Decision, conversationId: string): Promise<string | null> {
  const p = fetched.parsed;
  const id = newMessageId();
  const messageAt = await replyTime(db, conversationId, fetched.receivedAt, p.inReplyTo);
  const inserted = await insertSyncedMessage(db, {
    id,
    location_id: d.locationId,
    conversation_id: conversationId,
    connection_id: d.connectionId,
    account_id: account.id,
    provider_message_id: fetched.providerMessageId,
    provider_thread_id: fetched.providerThreadId,
    rfc_message_id: p.rfcMessageId ?? `<${fetched.providerMessageId}@${account.provider}.mailsync.invalid>`,
    in_reply_to: p.inReplyTo,
    references: p.references,
    direction: d.direction ?? 'inbound',
    source: d.direction === 'outbound' ? 'mail_client' : 'contact',
    from_address: p.from?.address ?? '',
    from_name: p.from?.name || null,
    to_addresses: p.to.map((a) => a.address),
    cc_addresses: p.cc.map((a) => a.address),
    bcc_addresses: p.bcc.map((a) => a.address),
    subject: p.subject ?? '',
    text_body: p.text,
    html_body: p.html,
    rule_id: d.ruleId,
    message_at: messageAt,
    read: fetched.state?.read ?? null,
    labels: fetched.state?.labels ?? null,
    folder: fetched.state?.folder ?? null,
  });
  if (!inserted) return null;
  if (p.attachments.length) {
    await insertAttachments(
      db,
      p.attachments.map((a, position) => ({
        message_id: id,
        position,
        filename: a.filename,
        content_type: a.contentType,
        size_bytes: a.size,
        content: a.content,
        provider_attachment_id: a.providerAttachmentId ?? null,
      })),
    );
  }
  await touchConversation(db, conversationId, messageAt);
  return id;
}

/**
 * A reply never sorts before the message it answers. Graph keeps times to the second, so a reply in the
 * same second as a CRM send would otherwise come first.
 */
async function replyTime(db: DbOrTrx, conversationId: string, receivedAt: string, inReplyTo: string | null): Promise<string> {
  if (!inReplyTo) return receivedAt;
  const parentAt = await findParentMessageAt(db, conversationId, inReplyTo);
  if (!parentAt || parentAt.getTime() < Date.parse(receivedAt)) return receivedAt;
  return new Date(parentAt.getTime() + 1).toISOString();
}

/** `decision.skipped` (opt-in): not for drafts and junk, which are decided again later (R23). */
async function appendSkipped(db: DbOrTrx, account: AccountRow, fetched: FetchedMessage, d: Decision): Promise<void> {
  if ((PROVISIONAL_REASONS as readonly string[]).includes(d.reason)) return;
  await appendEvent(db, {
    type: 'decision.skipped',
    locationId: d.locationId,
    connectionId: d.connectionId,
    payload: { accountId: account.id, providerMessageId: fetched.providerMessageId, connectionId: d.connectionId, ruleId: d.ruleId, reason: d.reason, rfcMessageId: fetched.parsed.rfcMessageId, subject: fetched.parsed.subject },
  });
}

/** Applies the rules' decisions for one provider message; call inside the page's transaction. */
export async function applyDecisions(
  db: DbOrTrx,
  account: AccountRow,
  fetched: FetchedMessage,
  decisions: Decision[],
  opts: { emitSkipped: boolean } = { emitSkipped: false },
): Promise<ApplyResult & { applied: AppliedDecision[] }> {
  const result = { synced: 0, matched: 0, skipped: 0, applied: [] as AppliedDecision[] };
  for (const d of decisions) {
    let messageId: string | null = null;
    if (d.outcome !== 'skipped' && d.target) {
      const { conversationId, contactId } = await resolveTarget(db, d.locationId, d.target);
      if (d.outcome === 'matched' && d.target.kind === 'crm_record') {
        // The Sent copy of a CRM send: the provider's ids go on the CRM's own record (R22).
        await markSentFromCopy(db, d.target.messageId, fetched);
        messageId = d.target.messageId;
        result.matched++;
        result.applied.push({ ruleId: d.ruleId, outcome: 'matched' });
      } else {
        messageId = await storeMessage(db, account, fetched, d, conversationId);
        if (messageId) {
          result.synced++;
          result.applied.push({ ruleId: d.ruleId, outcome: 'synced' });
          await appendEvent(db, {
            type: 'message.synced',
            locationId: d.locationId,
            connectionId: d.connectionId,
            payload: { messageId, conversationId, direction: d.direction ?? 'inbound', ruleId: d.ruleId, providerMessageId: fetched.providerMessageId },
          });
        }
      }
      await linkThread(db, account, fetched, d, conversationId);
      if (d.enrolContact && contactId) {
        await db
          .insertInto('bcc_enrolments')
          .values({ connection_id: d.connectionId, location_id: d.locationId, contact_id: contactId })
          .onConflict((oc) => oc.doNothing())
          .execute();
      }
    } else {
      result.skipped++;
      result.applied.push({ ruleId: d.ruleId, outcome: 'skipped' });
      if (opts.emitSkipped) await appendSkipped(db, account, fetched, d);
    }
    const detail = { notes: d.notes ?? [], direction: d.direction ?? null, rfcMessageId: fetched.parsed.rfcMessageId, subject: fetched.parsed.subject };
    await recordDecision(db, account.id, fetched.providerMessageId, d, messageId, detail);
  }
  return result;
}
