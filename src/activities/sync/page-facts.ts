import type { DbOrTrx } from '../../db/client';
import { listEnrolments } from '../../db/repositories/bcc-enrolments';
import { findConversationsOf } from '../../db/repositories/conversations';
import { findContactsByEmails } from '../../db/repositories/directory';
import { findStoredByProviderIds, findStoredByRfcIds } from '../../db/repositories/messages';
import { findLinksOfThreads } from '../../db/repositories/thread-links';
import type { AccountRow } from '../../db/schema';
import type { BindingFacts, LinkFacts, MessageFacts, RuleId } from '../../rules/types';
import { messageEmails, referencedIds, storedRfcMessageId, type PageWorld, type StoredMessageFacts } from './page-world';

type LinkRow = Awaited<ReturnType<typeof findLinksOfThreads>>[number];
type StoredRow = Awaited<ReturnType<typeof findStoredByRfcIds>>[number];

const linkFacts = (r: LinkRow): LinkFacts => ({
  locationId: r.location_id,
  connectionId: r.connection_id,
  conversationId: r.conversation_id,
  contactId: r.contact_id,
  providerThreadId: r.provider_thread_id,
  state: r.state,
  reason: r.reason,
  ruleId: r.rule_id as RuleId,
});

const storedFacts = (r: StoredRow): StoredMessageFacts => ({
  id: r.id,
  locationId: r.location_id,
  conversationId: r.conversation_id,
  contactId: r.contact_id,
  providerMessageId: r.provider_message_id,
  providerThreadId: r.provider_thread_id,
  rfcMessageId: r.rfc_message_id,
  crm: r.source === 'crm',
});

const unique = <T>(values: T[]) => [...new Set(values)];

/**
 * Every row a page's decisions can read, in a handful of queries keyed by the page's sets (provider ids,
 * Message-IDs, threads, addresses), read in the transaction that will apply the decisions.
 */
export async function loadPageWorld(db: DbOrTrx, account: AccountRow, bindings: BindingFacts[], messages: MessageFacts[]): Promise<PageWorld> {
  const locations = unique(bindings.map((b) => b.locationId));
  const rfcIds = unique(messages.flatMap((m) => [storedRfcMessageId(account.provider, m.providerMessageId, m.rfcMessageId), ...referencedIds(m)]));
  // One after the other: a transaction is one connection, which takes one query at a time.
  const contacts = await findContactsByEmails(db, locations, unique(messages.flatMap(messageEmails)));
  const enrolments = await listEnrolments(db, bindings.map((b) => b.connectionId));
  const byProviderId = await findStoredByProviderIds(db, account.id, locations, unique(messages.map((m) => m.providerMessageId)));
  const byRfcId = await findStoredByRfcIds(db, account.id, rfcIds);
  const stored = new Map([...byProviderId, ...byRfcId].map((r) => [r.id, storedFacts(r)]));
  const threads = unique([...messages.map((m) => m.providerThreadId), ...byRfcId.flatMap((r) => (r.provider_thread_id ? [r.provider_thread_id] : []))]);
  const links = await findLinksOfThreads(db, account.id, threads);
  const conversations = await findConversationsOf(db, locations, unique(contacts.map((c) => c.id)));
  return {
    account: { address: account.address, provider: account.provider },
    bindings,
    contacts: contacts.map((c) => ({ locationId: c.location_id, id: c.id, email: c.email, assignedUserId: c.assigned_user_id, createdAt: c.created_at.toISOString() })),
    links: links.map(linkFacts),
    messages: [...stored.values()],
    enrolments,
    conversations: conversations.map((c) => ({ id: c.id, locationId: c.location_id, contactId: c.contact_id })),
  };
}
