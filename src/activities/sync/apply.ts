import type { BccEnrolment } from '../../db/repositories/bcc-enrolments';
import type { NewEvent } from '../../db/repositories/events';
import type { SyncedMessage } from '../../db/repositories/messages';
import { PROVISIONAL_REASONS, type DecisionRow } from '../../db/repositories/sync-decisions';
import type { NewThreadLink } from '../../db/repositories/thread-links';
import type { AccountRow, AttachmentsTable } from '../../db/schema';
import type { Insertable } from 'kysely';
import { newContactId, newConversationId, newMessageId } from '../../ids';
import type { FetchedMessage } from '../../providers/types';
import type { Decision, DecisionTarget } from '../../rules/types';
import { existingContact, findConversation, hasLink, isEnrolled, storedRfcMessageId, wouldDuplicate, type ConversationFacts, type PageWorld } from './page-world';

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

/** A message to store; its time is settled when the page is written (a reply never sorts before its parent). */
export interface PlannedMessage {
  row: Omit<SyncedMessage, 'message_at'>;
  receivedAt: string;
  attachments: Omit<Insertable<AttachmentsTable>, 'message_id'>[];
}

/**
 * A page's writes, in the order the decisions made them. Conversation ids may be provisional until
 * the page's new conversations are written; events and decisions that name a message count only once
 * the message is stored.
 */
export interface PagePlan {
  contacts: { locationId: string; id: string; email: string; name: string | null; assignedUserId: string }[];
  conversations: ConversationFacts[];
  messages: PlannedMessage[];
  /** The Sent copy of a CRM send: the provider's ids go on the CRM's own record (R22). */
  sentCopies: { messageId: string; providerMessageId: string; providerThreadId: string }[];
  links: NewThreadLink[];
  enrolments: BccEnrolment[];
  events: (NewEvent & { storedMessageId?: string })[];
  decisions: (DecisionRow & { stored: boolean })[];
  matched: number;
  skipped: number;
  /** Each decision by rule and outcome, for the metrics once the page has committed. */
  applied: AppliedDecision[];
}

export const emptyPlan = (): PagePlan => ({ contacts: [], conversations: [], messages: [], sentCopies: [], links: [], enrolments: [], events: [], decisions: [], matched: 0, skipped: 0, applied: [] });

/** R18: the first To recipient becomes a contact assigned to the user, unless one already matches. */
function ensureContact(world: PageWorld, plan: PagePlan, locationId: string, target: Extract<DecisionTarget, { kind: 'new_contact' }>): string {
  const existing = existingContact(world, locationId, target.email);
  if (existing) return existing.id;
  const contact = { locationId, id: newContactId(target.email), email: target.email, name: target.name ?? null, assignedUserId: target.assignedUserId };
  plan.contacts.push(contact);
  world.contacts.push({ locationId, id: contact.id, email: contact.email, assignedUserId: contact.assignedUserId, createdAt: new Date().toISOString() });
  return contact.id;
}

/** The conversation of (location, contact), created on first use. */
function ensureConversation(world: PageWorld, plan: PagePlan, locationId: string, contactId: string): string {
  const existing = findConversation(world, locationId, contactId);
  if (existing) return existing.id;
  const conversation = { id: newConversationId(), locationId, contactId };
  plan.conversations.push(conversation);
  world.conversations.push(conversation);
  return conversation.id;
}

/** Where a synced message goes, and the contact of that conversation (what a link to it carries). */
function resolveTarget(world: PageWorld, plan: PagePlan, locationId: string, target: DecisionTarget) {
  switch (target.kind) {
    case 'link':
      return { conversationId: target.conversationId, contactId: target.contactId, conversationContactId: target.contactId };
    case 'contact':
      return { conversationId: ensureConversation(world, plan, locationId, target.contactId), contactId: target.contactId, conversationContactId: target.contactId };
    case 'new_contact': {
      const contactId = ensureContact(world, plan, locationId, target);
      return { conversationId: ensureConversation(world, plan, locationId, contactId), contactId, conversationContactId: contactId };
    }
    case 'crm_record': {
      const record = world.messages.find((m) => m.id === target.messageId);
      return { conversationId: target.conversationId, contactId: null, conversationContactId: record?.contactId ?? null };
    }
  }
}

/** Stores the provider message in one location unless it is there already (R22); the id it will have, or null. */
function storeMessage(world: PageWorld, plan: PagePlan, account: AccountRow, fetched: FetchedMessage, d: Decision, conversation: { id: string; contactId: string | null }): string | null {
  const p = fetched.parsed;
  const rfcMessageId = storedRfcMessageId(account.provider, fetched.providerMessageId, p.rfcMessageId);
  if (wouldDuplicate(world, d.locationId, fetched.providerMessageId, rfcMessageId)) return null;
  const id = newMessageId();
  plan.messages.push({
    row: {
      id, location_id: d.locationId, conversation_id: conversation.id, connection_id: d.connectionId, account_id: account.id,
      provider_message_id: fetched.providerMessageId, provider_thread_id: fetched.providerThreadId, rfc_message_id: rfcMessageId,
      in_reply_to: p.inReplyTo, references: p.references, direction: d.direction ?? 'inbound', source: d.direction === 'outbound' ? 'mail_client' : 'contact',
      from_address: p.from?.address ?? '', from_name: p.from?.name || null, to_addresses: p.to.map((a) => a.address), cc_addresses: p.cc.map((a) => a.address),
      bcc_addresses: p.bcc.map((a) => a.address), subject: p.subject ?? '', text_body: p.text, html_body: p.html, rule_id: d.ruleId,
      read: fetched.state?.read ?? null, labels: fetched.state?.labels ?? null, folder: fetched.state?.folder ?? null,
    },
    receivedAt: fetched.receivedAt,
    attachments: p.attachments.map((a, position) => ({
      position, filename: a.filename, content_type: a.contentType, size_bytes: a.size, content: a.content, provider_attachment_id: a.providerAttachmentId ?? null,
    })),
  });
  world.messages.push({
    id, locationId: d.locationId, conversationId: conversation.id, contactId: conversation.contactId ?? '', providerMessageId: fetched.providerMessageId,
    providerThreadId: fetched.providerThreadId, rfcMessageId, crm: false,
  });
  return id;
}

/** R22: the CRM's record of the send takes the copy's ids, unless it has provider ids already. */
function matchSentCopy(world: PageWorld, plan: PagePlan, messageId: string, fetched: FetchedMessage): void {
  plan.sentCopies.push({ messageId, providerMessageId: fetched.providerMessageId, providerThreadId: fetched.providerThreadId });
  const record = world.messages.find((m) => m.id === messageId);
  if (record && record.providerMessageId === null) Object.assign(record, { providerMessageId: fetched.providerMessageId, providerThreadId: fetched.providerThreadId });
}

function linkThread(world: PageWorld, plan: PagePlan, account: AccountRow, fetched: FetchedMessage, d: Decision, conversation: { id: string; contactId: string | null }): void {
  if (!d.threadLink || hasLink(world, fetched.providerThreadId, d.locationId)) return;
  const link = { accountId: account.id, providerThreadId: fetched.providerThreadId, locationId: d.locationId, connectionId: d.connectionId, conversationId: conversation.id, ruleId: d.threadLink.ruleId };
  plan.links.push(link);
  world.links.push({ ...link, contactId: conversation.contactId ?? '', state: 'active', reason: null, ruleId: d.threadLink.ruleId });
}

/** `decision.skipped` (opt-in): not for drafts and junk, which are decided again later (R23). */
function skippedEvent(account: AccountRow, fetched: FetchedMessage, d: Decision): NewEvent | null {
  if ((PROVISIONAL_REASONS as readonly string[]).includes(d.reason)) return null;
  return {
    type: 'decision.skipped',
    locationId: d.locationId,
    connectionId: d.connectionId,
    payload: { accountId: account.id, providerMessageId: fetched.providerMessageId, connectionId: d.connectionId, ruleId: d.ruleId, reason: d.reason, rfcMessageId: fetched.parsed.rfcMessageId, subject: fetched.parsed.subject },
  };
}

/** Adds one provider message's decisions to the page's writes, and to what the rest of the page sees. */
export function planDecisions(world: PageWorld, plan: PagePlan, account: AccountRow, fetched: FetchedMessage, decisions: Decision[], opts: { emitSkipped: boolean }): void {
  for (const d of decisions) {
    let messageId: string | null = null;
    let stored = false;
    if (d.outcome !== 'skipped' && d.target) {
      const { conversationId, contactId, conversationContactId } = resolveTarget(world, plan, d.locationId, d.target);
      const conversation = { id: conversationId, contactId: conversationContactId };
      if (d.outcome === 'matched' && d.target.kind === 'crm_record') {
        matchSentCopy(world, plan, d.target.messageId, fetched);
        messageId = d.target.messageId;
        plan.matched++;
        plan.applied.push({ ruleId: d.ruleId, outcome: 'matched' });
      } else {
        messageId = storeMessage(world, plan, account, fetched, d, conversation);
        if (messageId) {
          stored = true;
          plan.applied.push({ ruleId: d.ruleId, outcome: 'synced' });
          plan.events.push({
            type: 'message.synced',
            locationId: d.locationId,
            connectionId: d.connectionId,
            payload: { messageId, conversationId, direction: d.direction ?? 'inbound', ruleId: d.ruleId, providerMessageId: fetched.providerMessageId },
            storedMessageId: messageId,
          });
        }
      }
      linkThread(world, plan, account, fetched, d, conversation);
      if (d.enrolContact && contactId && !isEnrolled(world, d.connectionId, contactId)) {
        plan.enrolments.push({ connectionId: d.connectionId, locationId: d.locationId, contactId });
        world.enrolments.push({ connectionId: d.connectionId, contactId });
      }
    } else {
      plan.skipped++;
      plan.applied.push({ ruleId: d.ruleId, outcome: 'skipped' });
      const event = opts.emitSkipped ? skippedEvent(account, fetched, d) : null;
      if (event) plan.events.push(event);
    }
    const detail = { notes: d.notes ?? [], direction: d.direction ?? null, rfcMessageId: fetched.parsed.rfcMessageId, subject: fetched.parsed.subject };
    plan.decisions.push({ providerMessageId: fetched.providerMessageId, decision: d, messageId, detail, stored });
  }
}
