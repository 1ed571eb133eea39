import { describe, expect, test } from 'vitest';
import { decideMessage } from './decide-message';
import {
  ALICE, binding, contact, input, link, runTable, sent, skippedAt, type Case,
} from './test-fixtures';
import type { Decision } from './types';

const L1 = binding('c-L1', 'L1');
const L2 = binding('c-L2', 'L2');
const L3 = binding('c-L3', 'L3');
const aliceEverywhere = [contact('L1', 'a1', ALICE), contact('L2', 'a2', ALICE), contact('L3', 'a3', ALICE)];

function inboundTo(locationId: string, contactId: string): Decision {
  return {
    connectionId: `c-${locationId}`, locationId, ruleId: 'R2', reason: 'assigned_contact', outcome: 'synced',
    direction: 'inbound', target: { kind: 'contact', contactId }, threadLink: { ruleId: 'R2' },
  };
}

function viaLink(locationId: string, conversationId: string, contactId: string, ruleId: 'R1' | 'R4', linkRule: Decision['ruleId']): Decision {
  return {
    connectionId: `c-${locationId}`, locationId, ruleId, reason: ruleId === 'R1' ? 'linked_thread' : 'linked_thread_sent',
    outcome: 'synced', direction: ruleId === 'R1' ? 'inbound' : 'outbound',
    target: { kind: 'link', conversationId, contactId }, threadLink: { ruleId: linkRule },
  };
}

describe('R10 one copy per bound location', () => {
  const cases: Case[] = [
    {
      name: 'R10: a contact assigned to the user in two locations gets the message in both',
      input: input({ bindings: [L1, L2], contactsByEmail: aliceEverywhere }),
      expected: [inboundTo('L1', 'a1'), inboundTo('L2', 'a2')],
    },
    {
      name: 'R10: locations where the contact is missing or not assigned get nothing',
      input: input({
        bindings: [L3, L2, L1],
        contactsByEmail: [contact('L1', 'a1', ALICE), contact('L3', 'a3', ALICE, { assignedUserId: 'u2' })],
      }),
      expected: [inboundTo('L1', 'a1'), skippedAt('c-L2', 'L2', 'R2', 'unknown_sender'), skippedAt('c-L3', 'L3', 'R2', 'contact_not_assigned')],
    },
  ];
  runTable(cases);

  test('R10: decisions come out in the same order and shape whatever order the facts arrive in', () => {
    const facts = input({ bindings: [L1, L2, L3], contactsByEmail: aliceEverywhere });
    const shuffled = { ...facts, bindings: [L3, L1, L2], contactsByEmail: [...aliceEverywhere].reverse() };
    expect(decideMessage(shuffled)).toStrictEqual(decideMessage(facts));
    expect(decideMessage(facts).map((d) => d.locationId)).toStrictEqual(['L1', 'L2', 'L3']);
  });

  test('R10: deciding leaves the facts untouched', () => {
    const facts = input({ bindings: [L3, L1, L2], contactsByEmail: aliceEverywhere, threadLinks: [link('L1', 'conv-1', 'a1')] });
    const before = structuredClone(facts);
    decideMessage(deepFreeze(facts));
    expect(facts).toStrictEqual(before);
  });
});

describe('R11 a CRM thread belongs to its location', () => {
  const crmThread = link('L1', 'conv-1', 'a1');
  const cases: Case[] = [
    {
      name: 'R11: the Sent copy of a CRM send is matched in its location and stored nowhere else',
      input: input({
        message: sent(), bindings: [L1, L2], contactsByEmail: aliceEverywhere,
        crmRecord: { locationId: 'L1', messageId: 'crm-msg-1', conversationId: 'conv-1' },
      }),
      expected: [
        {
          connectionId: 'c-L1', locationId: 'L1', ruleId: 'R22', reason: 'crm_record_matched', outcome: 'matched',
          direction: 'outbound', target: { kind: 'crm_record', messageId: 'crm-msg-1', conversationId: 'conv-1' }, threadLink: { ruleId: 'R1' },
        },
        skippedAt('c-L2', 'L2', 'R11', 'crm_send_other_location'),
      ],
    },
    {
      name: "R11: the contact's reply in a CRM thread syncs only in the location that started it",
      input: input({ bindings: [L1, L2], contactsByEmail: aliceEverywhere, threadLinks: [crmThread] }),
      expected: [viaLink('L1', 'conv-1', 'a1', 'R1', 'R1'), skippedAt('c-L2', 'L2', 'R11', 'thread_owned_by_other_location')],
    },
    {
      name: "R11: the user's mail-client reply in that thread stays in that location too",
      input: input({ message: sent(), bindings: [L1, L2], contactsByEmail: aliceEverywhere, threadLinks: [crmThread] }),
      expected: [viaLink('L1', 'conv-1', 'a1', 'R4', 'R1'), skippedAt('c-L2', 'L2', 'R11', 'thread_owned_by_other_location')],
    },
    {
      name: 'R11: a thread the contact started still reaches every location where they are assigned (R10)',
      input: input({ bindings: [L1, L2], contactsByEmail: aliceEverywhere, threadLinks: [link('L1', 'conv-1', 'a1', { ruleId: 'R2' })] }),
      expected: [viaLink('L1', 'conv-1', 'a1', 'R1', 'R2'), inboundTo('L2', 'a2')],
    },
  ];
  runTable(cases);
});

describe('R12 a CRM reply in one location breaks the others', () => {
  const broken = { state: 'broken' as const, reason: 'replied_in_other_location', ruleId: 'R2' as const };
  const cases: Case[] = [
    {
      name: 'R12: after the user replied from the CRM in L1, the broken link in L2 receives nothing',
      input: input({
        bindings: [L1, L2], contactsByEmail: aliceEverywhere,
        threadLinks: [link('L1', 'conv-1', 'a1', { ruleId: 'R2' }), link('L2', 'conv-2', 'a2', broken)],
      }),
      expected: [viaLink('L1', 'conv-1', 'a1', 'R1', 'R2'), skippedAt('c-L2', 'L2', 'R12', 'replied_in_other_location')],
    },
    {
      name: 'R12: a location that had no link does not start one on that thread either',
      input: input({
        bindings: [L1, L2, L3], contactsByEmail: aliceEverywhere,
        threadLinks: [link('L1', 'conv-1', 'a1', { ruleId: 'R2' }), link('L2', 'conv-2', 'a2', broken)],
      }),
      expected: [
        viaLink('L1', 'conv-1', 'a1', 'R1', 'R2'),
        skippedAt('c-L2', 'L2', 'R12', 'replied_in_other_location'),
        skippedAt('c-L3', 'L3', 'R12', 'replied_in_other_location'),
      ],
    },
  ];
  runTable(cases);
});

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
