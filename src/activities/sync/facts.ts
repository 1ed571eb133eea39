import type { DbOrTrx } from '../../db/client';
import { findCrmRecord, findStoredLocations } from '../../db/repositories/messages';
import { findReferencedLinks, findThreadLinks } from '../../db/repositories/thread-links';
import type { AccountRow } from '../../db/schema';
import type { Provider } from '../../provider';
import { normalizeAddress } from '../../rules/addresses';
import type {
  BccEnrolmentFacts,
  BindingFacts,
  ContactFacts,
  DecisionInput,
  LinkFacts,
  MessageFacts,
  ReferencedLinkFacts,
  RuleId,
} from '../../rules/types';
import type { FetchedMessage } from '../../providers/types';

/** Provider message → the rules' MessageFacts (addresses normalised, header order kept). */
export function toMessageFacts(account: AccountRow, fetched: FetchedMessage): MessageFacts {
  const p = fetched.parsed;
  // Display names ride along ("Ann <ann@x>"): the rules normalise addresses and name new contacts from them (R18).
  const named = (a: { address: string; name: string }) => (a.name ? `${a.name.replace(/[<>"]/g, '')} <${a.address}>` : a.address);
  const from = p.from?.address ?? '';
  const subject = p.subject ?? '';
  return {
    providerMessageId: fetched.providerMessageId,
    providerThreadId: fetched.providerThreadId,
    rfcMessageId: p.rfcMessageId,
    inReplyTo: p.inReplyTo,
    references: p.references,
    subject,
    from,
    to: p.to.map(named),
    cc: p.cc.map(named),
    bcc: p.bcc.map(named),
    receivedAt: fetched.receivedAt,
    sentByOwner: fetched.inSent || normalizeAddress(from) === account.address,
    inSent: fetched.inSent,
    isForward: /^\s*(fwd?|fw):/i.test(subject),
    attachments: p.attachments.map((a) => ({ filename: a.filename, size: a.size, contentType: a.contentType })),
  };
}

/** Graph reports receivedDateTime to the second: a message of the connect second counts as after connect. */
const connectedAtFor = (provider: string, at: Date) => (provider === 'outlook' ? new Date(Math.floor(at.getTime() / 1000) * 1000) : at).toISOString();

export async function loadBindings(db: DbOrTrx, accountId: string, provider: Provider = 'gmail'): Promise<BindingFacts[]> {
  const rows = await db
    .selectFrom('connections')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('status', '<>', 'disconnected')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    connectionId: r.id,
    locationId: r.location_id,
    userId: r.user_id,
    connectedAt: connectedAtFor(provider, r.connected_at),
    bccAddress: r.bcc_address,
    status: r.status,
  }));
}

const linkFacts = (r: {
  location_id: string; connection_id: string; conversation_id: string; contact_id: string; provider_thread_id: string;
  state: LinkFacts['state']; reason: string | null; rule_id: string;
}): LinkFacts => ({
  locationId: r.location_id,
  connectionId: r.connection_id,
  conversationId: r.conversation_id,
  contactId: r.contact_id,
  providerThreadId: r.provider_thread_id,
  state: r.state,
  reason: r.reason,
  ruleId: r.rule_id as RuleId,
});

/** Everything the rules need about one message, read in the transaction that will apply the decisions. */
export async function loadDecisionInput(
  db: DbOrTrx,
  account: AccountRow,
  bindings: BindingFacts[],
  message: MessageFacts,
): Promise<DecisionInput> {
  const locations = [...new Set(bindings.map((b) => b.locationId))];
  const emails = [...new Set([message.from, ...message.to, ...message.cc, ...message.bcc].map(normalizeAddress).filter(Boolean))];
  const referenced = [...new Set([message.inReplyTo, ...message.references].filter((v): v is string => Boolean(v)))];

  const contacts: ContactFacts[] =
    locations.length && emails.length
      ? (
          await db.selectFrom('contacts').selectAll().where('location_id', 'in', locations).where('email', 'in', emails).execute()
        ).map((c) => ({ locationId: c.location_id, id: c.id, email: c.email, assignedUserId: c.assigned_user_id, createdAt: c.created_at.toISOString() }))
      : [];

  const threadLinks = (await findThreadLinks(db, account.id, message.providerThreadId)).map(linkFacts);

  const referencedLinks: ReferencedLinkFacts[] = referenced.length
    ? (await findReferencedLinks(db, account.id, referenced)).map((r) => ({ ...linkFacts(r), rfcMessageId: r.rfc_message_id }))
    : [];

  const connectionIds = bindings.map((b) => b.connectionId);
  const bccEnrolledContacts: BccEnrolmentFacts[] = connectionIds.length
    ? (await db.selectFrom('bcc_enrolments').select(['connection_id', 'contact_id']).where('connection_id', 'in', connectionIds).execute()).map((r) => ({
        connectionId: r.connection_id,
        contactId: r.contact_id,
      }))
    : [];

  const crm = message.rfcMessageId ? await findCrmRecord(db, account.id, message.rfcMessageId) : undefined;
  const stored = await findStoredLocations(db, account.id, message.providerMessageId);

  return {
    account: { address: account.address, provider: account.provider },
    message,
    bindings,
    contactsByEmail: contacts,
    threadLinks,
    referencedLinks,
    bccEnrolledContacts,
    crmRecord: crm ? { locationId: crm.location_id, messageId: crm.id, conversationId: crm.conversation_id } : null,
    alreadyStored: stored.map((locationId) => ({ locationId })),
  };
}
