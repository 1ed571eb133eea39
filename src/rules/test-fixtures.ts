/** Builders for the rules' unit tables: readable defaults, every fact overridable. Used by tests only. */
import { expect, test } from 'vitest';
import type { Provider } from '../provider';
import { decideMessage } from './decide-message';
import { REASONS } from './reasons';
import type {
  BindingFacts, ContactFacts, Decision, DecisionInput, LinkFacts, MessageFacts, ReferencedLinkFacts,
} from './types';

export const OWNER = 'owner@mail.test';
export const CONNECTED_AT = '2026-03-01T09:00:00.000Z';
export const RECEIVED_AT = '2026-03-02T10:00:00.000Z';
export const ALICE = 'alice@client.test';
export const BOB = 'bob@client.test';
export const STRANGER = 'stranger@elsewhere.test';
export const MB = 1024 * 1024;

export function binding(connectionId: string, locationId: string, over: Partial<BindingFacts> = {}): BindingFacts {
  return {
    connectionId, locationId, userId: 'u1', connectedAt: CONNECTED_AT,
    bccAddress: `bcc-${connectionId}@crm.test`, status: 'active', ...over,
  };
}

export function contact(locationId: string, id: string, email: string, over: Partial<ContactFacts> = {}): ContactFacts {
  return { locationId, id, email, assignedUserId: 'u1', createdAt: '2025-06-01T00:00:00.000Z', ...over };
}

export function link(locationId: string, conversationId: string, contactId: string, over: Partial<LinkFacts> = {}): LinkFacts {
  return {
    locationId, connectionId: `c-${locationId}`, conversationId, contactId, providerThreadId: 'thread-1',
    state: 'active', reason: null, ruleId: 'R1', ...over,
  };
}

export function referenced(rfcMessageId: string, base: LinkFacts): ReferencedLinkFacts {
  return { ...base, providerThreadId: 'thread-0', rfcMessageId };
}

/** A message from Alice to the owner. */
export function inbound(over: Partial<MessageFacts> = {}): MessageFacts {
  return {
    providerMessageId: 'msg-1', providerThreadId: 'thread-1', rfcMessageId: '<m1@client.test>', inReplyTo: null,
    references: [], subject: 'Quote', from: `Alice <${ALICE}>`, to: [OWNER], cc: [], bcc: [], receivedAt: RECEIVED_AT,
    sentByOwner: false, inSent: false, isForward: false, attachments: [], ...over,
  };
}

/** A message the owner sent from the mail client to Alice. */
export function sent(over: Partial<MessageFacts> = {}): MessageFacts {
  return inbound({ from: OWNER, to: [ALICE], sentByOwner: true, inSent: true, rfcMessageId: '<s1@mail.test>', ...over });
}

type InputOver = Partial<Omit<DecisionInput, 'account'>> & { provider?: Provider };

/** One Gmail binding (c-L1 in L1) and Alice as contact a1 assigned to the user, unless overridden. */
export function input(over: InputOver = {}): DecisionInput {
  const { provider = 'gmail', ...rest } = over;
  return {
    account: { address: OWNER, provider },
    message: inbound(),
    bindings: [binding('c-L1', 'L1')],
    contactsByEmail: [contact('L1', 'a1', ALICE)],
    threadLinks: [],
    referencedLinks: [],
    bccEnrolledContacts: [],
    crmRecord: null,
    alreadyStored: [],
    ...rest,
  };
}

export function skippedAt(connectionId: string, locationId: string, ruleId: Decision['ruleId'], reason: Decision['reason']): Decision {
  return { connectionId, locationId, ruleId, reason, outcome: 'skipped' };
}

export interface Case {
  name: string;
  input: DecisionInput;
  expected: Decision[];
}

/** Whole-value assertions, plus the catalogue invariant the explain API relies on. */
export function runTable(cases: Case[]): void {
  for (const { name, input: facts, expected } of cases) test(name, () => {
    const decisions = decideMessage(facts);
    expect(decisions).toStrictEqual(expected);
    for (const decision of decisions) {
      expect(REASONS[decision.reason].ruleId).toBe(decision.ruleId);
      expect(REASONS[decision.reason].kind).toBe(decision.outcome);
      for (const n of decision.notes ?? []) expect(REASONS[n.reason]).toMatchObject({ ruleId: n.ruleId, kind: 'note' });
    }
    expect(JSON.parse(JSON.stringify(decisions))).toStrictEqual(decisions);
  });
}
