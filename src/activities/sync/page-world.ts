/**
 * What one page's decisions can see of the database, held in memory: the rows loaded for the whole
 * page (page-facts.ts) plus what the page has decided so far. Each message's DecisionInput is cut from
 * it, so a reply decides against the message an earlier entry of the same page stored, as it would if
 * the two were decided one transaction after the other. Plain data, no IO.
 */
import { normalizeAddress } from '../../rules/addresses';
import type { Provider } from '../../provider';
import type { BccEnrolmentFacts, BindingFacts, ContactFacts, DecisionInput, LinkFacts, MessageFacts, ReferencedLinkFacts } from '../../rules/types';

/** A stored message as sync decisions see it (the CRM's own sends included). */
export interface StoredMessageFacts {
  id: string;
  locationId: string;
  conversationId: string;
  /** The conversation's contact. */
  contactId: string;
  providerMessageId: string | null;
  providerThreadId: string | null;
  rfcMessageId: string;
  crm: boolean;
}

export interface ConversationFacts {
  id: string;
  locationId: string;
  contactId: string;
}

export interface PageWorld {
  account: { address: string; provider: Provider };
  bindings: BindingFacts[];
  /** Contacts of the bound locations whose email is on a message of the page. */
  contacts: ContactFacts[];
  /** Links of the page's threads and of the threads of messages the page references. */
  links: LinkFacts[];
  /** Messages with the page's provider ids (bound locations) or Message-IDs and references (any location). */
  messages: StoredMessageFacts[];
  enrolments: BccEnrolmentFacts[];
  conversations: ConversationFacts[];
}

/** The addresses of a message as the rules look contacts up (normalised, blanks dropped). */
export function messageEmails(message: MessageFacts): string[] {
  return [...new Set([message.from, ...message.to, ...message.cc, ...message.bcc].map(normalizeAddress).filter(Boolean))];
}

/** In-Reply-To and References as stored messages are looked up by them (whole header values). */
export function referencedIds(message: MessageFacts): string[] {
  return [...new Set([message.inReplyTo, ...message.references].filter((v): v is string => Boolean(v)))];
}

/** The Message-ID a message is stored under: its own, or one made from its provider id when it has none. */
export function storedRfcMessageId(provider: Provider, providerMessageId: string, rfcMessageId: string | null): string {
  return rfcMessageId ?? `<${providerMessageId}@${provider}.mailsync.invalid>`;
}

/** Everything the rules need about one message, as the page knows it now. */
export function decisionInputFor(world: PageWorld, message: MessageFacts): DecisionInput {
  const locations = new Set(world.bindings.map((b) => b.locationId));
  const emails = new Set(messageEmails(message));
  const referenced = new Set(referencedIds(message));
  const referencedLinks: ReferencedLinkFacts[] = world.messages
    .filter((m) => m.providerThreadId !== null && referenced.has(m.rfcMessageId))
    .flatMap((m) =>
      world.links.filter((l) => l.providerThreadId === m.providerThreadId && l.locationId === m.locationId).map((l) => ({ ...l, rfcMessageId: m.rfcMessageId })),
    );
  const crm = message.rfcMessageId === null ? undefined : world.messages.find((m) => m.crm && m.rfcMessageId === message.rfcMessageId);
  const connectionIds = new Set(world.bindings.map((b) => b.connectionId));
  return {
    account: world.account,
    message,
    bindings: world.bindings,
    contactsByEmail: world.contacts.filter((c) => locations.has(c.locationId) && emails.has(c.email)),
    threadLinks: world.links.filter((l) => l.providerThreadId === message.providerThreadId),
    referencedLinks,
    bccEnrolledContacts: world.enrolments.filter((e) => connectionIds.has(e.connectionId)),
    crmRecord: crm ? { locationId: crm.locationId, messageId: crm.id, conversationId: crm.conversationId } : null,
    alreadyStored: world.messages.filter((m) => m.providerMessageId === message.providerMessageId).map((m) => ({ locationId: m.locationId })),
  };
}

/**
 * Whether storing this message in the location would be refused by the unique indexes (R22): the
 * location holds the provider message, or a synced message with the same Message-ID.
 */
export function wouldDuplicate(world: PageWorld, locationId: string, providerMessageId: string, rfcMessageId: string): boolean {
  return world.messages.some(
    (m) => m.locationId === locationId && (m.providerMessageId === providerMessageId || (!m.crm && m.rfcMessageId === rfcMessageId)),
  );
}

/** R9's order for the contact sync reuses: the earliest created, then the lowest id (as the database sorts them). */
export function existingContact(world: PageWorld, locationId: string, email: string): ContactFacts | undefined {
  return world.contacts
    .filter((c) => c.locationId === locationId && c.email === email)
    .sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))[0];
}

export function findConversation(world: PageWorld, locationId: string, contactId: string): ConversationFacts | undefined {
  return world.conversations.find((c) => c.locationId === locationId && c.contactId === contactId);
}

export function hasLink(world: PageWorld, providerThreadId: string, locationId: string): boolean {
  return world.links.some((l) => l.providerThreadId === providerThreadId && l.locationId === locationId);
}

export function isEnrolled(world: PageWorld, connectionId: string, contactId: string): boolean {
  return world.enrolments.some((e) => e.connectionId === connectionId && e.contactId === contactId);
}
