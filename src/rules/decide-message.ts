/**
 * decideMessage: for one provider message seen in one account's mailbox, what happens in each
 * bound connection. Deterministic and pure: the same facts always give the same decisions.
 *
 * Per binding, first match wins:
 *  1. gates that hold whatever the thread: disconnected (R15), drafts and junk (R23), the CRM's own send (R22 / R11),
 *     already stored (R22), received before connect (R13);
 *  2. the thread's link in this location (R1, R4, R6; stopped or broken: R12, R14, R15), else a
 *     referenced message's link (R21);
 *  3. the connection's BCC address (R18);
 *  4. a thread that belongs to another location (R11, R12);
 *  5. establishing rules (R2, R3, R5–R9, R18 enrolment);
 * then a would-be sync that breaks attachment limits is skipped (R17), and a location takes a
 * message once even when two of its connections share the mailbox (R22).
 */
import { normalizeAddress } from './addresses';
import { bccCopy, establish } from './establish';
import { buildContext, note, skipped, synced, type RuleContext } from './context';
import { compareIds } from './contacts';
import { closestReferencedLink, inactiveLinkReason, REPLIED_IN_OTHER_LOCATION } from './links';
import { toMillis } from './time';
import type { BindingFacts, Decision, DecisionInput, DecisionNote, LinkFacts } from './types';

/** One decision per binding, ordered by location id, then connection id. */
export function decideMessage(input: DecisionInput): Decision[] {
  const ctx = buildContext(input);
  const taken: string[] = [];
  const bindings = [...input.bindings].sort(
    (a, b) => compareIds(a.locationId, b.locationId) || compareIds(a.connectionId, b.connectionId),
  );
  return bindings.map((binding) => {
    const decision = decideForBinding(ctx, binding);
    if (decision.outcome === 'skipped') return decision;
    if (taken.includes(binding.locationId)) return skipped(binding, 'stored_by_other_connection');
    taken.push(binding.locationId);
    return decision;
  });
}

function decideForBinding(ctx: RuleContext, binding: BindingFacts): Decision {
  const gated = gate(ctx, binding);
  if (gated) return gated;
  const routed = route(ctx, binding);
  return routed.outcome === 'synced' && !ctx.attachmentsOk ? skipped(binding, 'attachment_limit') : routed;
}

/**
 * R19: a binding in `needs_reauth` is decided like an active one. Sync pauses at the account while
 * credentials are bad; once a message has been read it must not be lost to that pause.
 */
function gate(ctx: RuleContext, binding: BindingFacts): Decision | null {
  const { message, crmRecord, alreadyStored } = ctx.input;
  if (binding.status === 'disconnected') return skipped(binding, 'disconnected');
  // R23: drafts and junk are not mail; the decision is provisional (sync-decisions.ts).
  if (message.notMail) return skipped(binding, message.notMail);
  // R22: only the owner's own copy in Sent is the CRM send's copy; anyone else reusing its Message-ID is mail of its own.
  if (crmRecord && isOwnSentCopy(ctx)) {
    if (crmRecord.locationId !== binding.locationId) return skipped(binding, 'crm_send_other_location');
    const target = { kind: 'crm_record' as const, messageId: crmRecord.messageId, conversationId: crmRecord.conversationId };
    return synced(ctx, binding, 'crm_record_matched', { target, linkRuleId: 'R1' });
  }
  if (alreadyStored.some((stored) => stored.locationId === binding.locationId)) return skipped(binding, 'duplicate');
  if (toMillis(message.receivedAt, 'message.receivedAt') < toMillis(binding.connectedAt, 'binding.connectedAt')) {
    return skipped(binding, 'before_connect');
  }
  return null;
}

function route(ctx: RuleContext, binding: BindingFacts): Decision {
  const { message, threadLinks, referencedLinks } = ctx.input;
  const link = threadLinks.find((l) => l.locationId === binding.locationId);
  if (link) return followLink(ctx, binding, link, []);
  const referenced = closestReferencedLink(message, referencedLinks, binding.locationId);
  if (referenced) return followLink(ctx, binding, referenced, [note('matched_by_references')]);
  return bccCopy(ctx, binding) ?? ownedElsewhere(ctx, binding) ?? establish(ctx, binding);
}

/** R1 / R4 / R6: an active link takes every later message of its thread, whoever sent it and to whom (R7). */
function followLink(ctx: RuleContext, binding: BindingFacts, link: LinkFacts, notes: DecisionNote[]): Decision {
  if (link.state !== 'active') return skipped(binding, inactiveLinkReason(link), notes);
  const { sentByOwner, isForward } = ctx.input.message;
  const reason = !sentByOwner ? 'linked_thread' : isForward ? 'forwarded_in_linked_thread' : 'linked_thread_sent';
  const target = { kind: 'link' as const, conversationId: link.conversationId, contactId: link.contactId };
  return synced(ctx, binding, reason, { target, linkRuleId: link.ruleId, notes });
}

/**
 * R11: a thread started from the CRM (an R1 link) belongs to that location; R12: once the user
 * replied from the CRM in one location, the thread syncs only there. Other locations without a
 * link of their own stay out, even where the sender is an assigned contact.
 */
function ownedElsewhere(ctx: RuleContext, binding: BindingFacts): Decision | null {
  const { threadLinks, referencedLinks } = ctx.input;
  const others = [...threadLinks, ...referencedLinks].filter((l) => l.locationId !== binding.locationId);
  if (others.some((l) => l.reason === REPLIED_IN_OTHER_LOCATION)) return skipped(binding, 'replied_in_other_location');
  if (others.some((l) => l.ruleId === 'R1')) return skipped(binding, 'thread_owned_by_other_location');
  return null;
}

function isOwnSentCopy(ctx: RuleContext): boolean {
  const { message, account } = ctx.input;
  return message.inSent && normalizeAddress(message.from) === normalizeAddress(account.address);
}
