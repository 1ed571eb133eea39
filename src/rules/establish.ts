/**
 * How a message with no link in a location may start one there: inbound from a contact (R2, R3,
 * R8, R18 enrolment), sent by the user from the mail client (R5, R6, R7, R8), or sent with the
 * connection's BCC address (R18). R9 picks among contacts sharing an address.
 */
import { normalizeAddress } from './addresses';
import { pickContact } from './contacts';
import { assignedTo, contactsAt, note, skipped, synced, type RuleContext } from './context';
import type { BindingFacts, ContactFacts, Decision, DecisionNote, DecisionTarget } from './types';

export function establish(ctx: RuleContext, binding: BindingFacts): Decision {
  return ctx.input.message.sentByOwner ? decideSent(ctx, binding) : decideInbound(ctx, binding);
}

/**
 * R2 (Gmail) keys on the sender alone: To and Cc recipients never own inbound mail (R8). R9 is
 * applied among the contacts assigned to the user: a CRM user expects mail from their own contact
 * to show up even when an older duplicate of it belongs to a colleague.
 */
function decideInbound(ctx: RuleContext, binding: BindingFacts): Decision {
  const matching = contactsAt(ctx, binding.locationId, ctx.from);
  const assigned = assignedTo(matching, binding.userId);
  const gmail = ctx.input.account.provider === 'gmail';
  const owner = gmail ? choose(assigned) : null;
  if (owner) {
    const ccOnly = ctx.to.includes(ctx.accountAddress) ? [] : [note('user_in_cc_or_bcc')];
    return synced(ctx, binding, 'assigned_contact', { target: owner.target, notes: [...owner.notes, ...ccOnly] });
  }
  const enrolled = choose(enrolledFor(ctx, binding, matching));
  if (enrolled) return synced(ctx, binding, 'bcc_enrolled_contact', { target: enrolled.target, notes: enrolled.notes });
  if (!gmail) return skipped(binding, 'thread_not_crm_initiated');
  return skipped(binding, matching.length > 0 ? 'contact_not_assigned' : 'unknown_sender');
}

/**
 * R5 / R6 on Gmail; Outlook syncs no mail-client send outside a linked thread (R3). R7: the first
 * To recipient, in header order, that is a contact assigned to the user owns the message; a CRM
 * user expects their own contact to get it rather than the mail being dropped because an earlier
 * recipient belongs to a colleague.
 */
function decideSent(ctx: RuleContext, binding: BindingFacts): Decision {
  if (ctx.input.account.provider === 'outlook') return skipped(binding, 'thread_not_crm_initiated');
  const forward = ctx.input.message.isForward;
  const owners = ctx.to
    .map((address) => assignedTo(contactsAt(ctx, binding.locationId, address), binding.userId))
    .filter((pool) => pool.length > 0);
  const owner = choose(owners[0] ?? []);
  if (owner) {
    const firstTo = owners.length > 1 ? [note('first_to_recipient')] : [];
    const reason = forward ? 'forwarded_to_contact' : 'sent_to_assigned_contact';
    return synced(ctx, binding, reason, { target: owner.target, notes: [...firstTo, ...owner.notes] });
  }
  if (ctx.to.some((address) => contactsAt(ctx, binding.locationId, address).length > 0)) {
    return skipped(binding, forward ? 'forward_recipient_not_assigned' : 'recipient_not_assigned');
  }
  const ccOwner = [...ctx.cc, ...ctx.bcc].some(
    (address) => assignedTo(contactsAt(ctx, binding.locationId, address), binding.userId).length > 0,
  );
  if (ccOwner) return skipped(binding, 'cc_bcc_never_own');
  return skipped(binding, forward ? 'forward_recipient_unknown' : 'unknown_recipient');
}

/**
 * R18: the user sent it with this connection's BCC address in Cc or Bcc. The first To recipient
 * (not the account itself nor a BCC address) owns it: an existing contact (assigned to the user
 * first, then any, by R9, because the user asked for this mail to be tracked), or a new contact
 * assigned to the user. Returns null when the BCC address is not on the message.
 */
export function bccCopy(ctx: RuleContext, binding: BindingFacts): Decision | null {
  const bccAddress = normalizeAddress(binding.bccAddress);
  if (!ctx.input.message.sentByOwner || ![...ctx.cc, ...ctx.bcc].includes(bccAddress)) return null;
  const own = [ctx.accountAddress, ...ctx.input.bindings.map((b) => normalizeAddress(b.bccAddress))];
  const recipient = ctx.to.find((address) => !own.includes(address));
  if (recipient === undefined) return skipped(binding, 'bcc_no_recipient');
  const matching = contactsAt(ctx, binding.locationId, recipient);
  const assigned = assignedTo(matching, binding.userId);
  const existing = choose(assigned.length > 0 ? assigned : matching);
  const target = existing?.target ?? newContact(ctx, recipient, binding.userId);
  return synced(ctx, binding, 'bcc_address_copy', { target, enrolContact: true, notes: existing?.notes ?? [] });
}

function enrolledFor(ctx: RuleContext, binding: BindingFacts, matching: ContactFacts[]): ContactFacts[] {
  const enrolled = ctx.input.bccEnrolledContacts.filter((e) => e.connectionId === binding.connectionId);
  return matching.filter((contact) => enrolled.some((e) => e.contactId === contact.id));
}

/** R9 over a pool of contacts sharing one address; notes the choice when there was one to make. */
function choose(pool: readonly ContactFacts[]): { target: DecisionTarget; notes: DecisionNote[] } | null {
  const contact = pickContact(pool);
  if (!contact) return null;
  const notes = pool.length > 1 ? [note('earliest_created_contact')] : [];
  return { target: { kind: 'contact', contactId: contact.id }, notes };
}

function newContact(ctx: RuleContext, email: string, assignedUserId: string): DecisionTarget {
  const name = ctx.toNames.find((entry) => entry.address === email)?.name;
  return name === undefined
    ? { kind: 'new_contact', email, assignedUserId }
    : { kind: 'new_contact', email, name, assignedUserId };
}
