/** The facts of one decision, normalised once, and the builders every rule uses to answer. */
import { checkOutgoingAttachments } from './attachments';
import { displayName, normalizeAddress, normalizeAddressList } from './addresses';
import { REASONS, type ReasonCode } from './reasons';
import type { BindingFacts, ContactFacts, Decision, DecisionInput, DecisionNote, DecisionTarget, RuleId } from './types';

export interface RuleContext {
  input: DecisionInput;
  accountAddress: string;
  from: string;
  /** Normalised, header order, first occurrence kept. */
  to: string[];
  cc: string[];
  bcc: string[];
  /** Display names from the To header, by normalised address. */
  toNames: { address: string; name: string }[];
  contacts: ContactFacts[];
  attachmentsOk: boolean;
}

export function buildContext(input: DecisionInput): RuleContext {
  const { message } = input;
  return {
    input,
    accountAddress: normalizeAddress(input.account.address),
    from: normalizeAddress(message.from),
    to: normalizeAddressList(message.to),
    cc: normalizeAddressList(message.cc),
    bcc: normalizeAddressList(message.bcc),
    toNames: message.to.flatMap((raw) => {
      const name = displayName(raw);
      return name === undefined ? [] : [{ address: normalizeAddress(raw), name }];
    }),
    contacts: input.contactsByEmail.map((c) => ({ ...c, email: normalizeAddress(c.email) })),
    attachmentsOk: checkOutgoingAttachments(input.account.provider, message.attachments).ok,
  };
}

export function contactsAt(ctx: RuleContext, locationId: string, address: string): ContactFacts[] {
  return ctx.contacts.filter((c) => c.locationId === locationId && c.email === address);
}

export function assignedTo(contacts: readonly ContactFacts[], userId: string): ContactFacts[] {
  return contacts.filter((c) => c.assignedUserId === userId);
}

export function note(reason: ReasonCode): DecisionNote {
  return { ruleId: REASONS[reason].ruleId, reason };
}

interface SyncFields {
  target: DecisionTarget;
  /** Origin stored on the link row; defaults to the decision's own rule. */
  linkRuleId?: RuleId;
  enrolContact?: true;
  notes?: DecisionNote[];
}

/** A skipped decision; the rule id comes from the reason catalogue, so the two always agree. */
export function skipped(binding: BindingFacts, reason: ReasonCode, notes: DecisionNote[] = []): Decision {
  return withNotes({ ...head(binding, reason), outcome: 'skipped' }, notes);
}

/** A synced (or, for a CRM record, matched) decision that files the message and links its thread. */
export function synced(ctx: RuleContext, binding: BindingFacts, reason: ReasonCode, fields: SyncFields): Decision {
  const base = head(binding, reason);
  const matched = REASONS[reason].kind === 'matched';
  const decision: Decision = {
    ...base,
    outcome: matched ? 'matched' : 'synced',
    direction: matched || ctx.input.message.sentByOwner ? 'outbound' : 'inbound',
    target: fields.target,
    threadLink: { ruleId: fields.linkRuleId ?? base.ruleId },
  };
  if (fields.enrolContact) decision.enrolContact = true;
  return withNotes(decision, fields.notes ?? []);
}

function head(binding: BindingFacts, reason: ReasonCode) {
  return { connectionId: binding.connectionId, locationId: binding.locationId, ruleId: REASONS[reason].ruleId, reason };
}

function withNotes(decision: Decision, notes: DecisionNote[]): Decision {
  return notes.length > 0 ? { ...decision, notes } : decision;
}
