import { describe } from 'vitest';
import {
  ALICE, BOB, OWNER, STRANGER, contact, inbound, input, link, runTable, sent, skippedAt, type Case,
} from './test-fixtures';

const aliceAndBob = [contact('L1', 'a1', ALICE), contact('L1', 'b1', BOB)];

function sentTo(contactId: string, reason: 'sent_to_assigned_contact', notes?: Case['expected'][number]['notes']): Case['expected'] {
  return [{
    connectionId: 'c-L1', locationId: 'L1', ruleId: 'R5', reason, outcome: 'synced', direction: 'outbound',
    target: { kind: 'contact', contactId }, threadLink: { ruleId: 'R5' }, ...(notes ? { notes } : {}),
  }];
}

describe('R7 the first To contact owns the conversation', () => {
  const firstTo = [{ ruleId: 'R7' as const, reason: 'first_to_recipient' as const }];
  const cases: Case[] = [
    {
      name: 'R7: of two To contacts the first in header order owns it',
      input: input({ message: sent({ to: [ALICE, BOB] }), contactsByEmail: aliceAndBob }),
      expected: sentTo('a1', 'sent_to_assigned_contact', firstTo),
    },
    {
      name: 'R7: header order, not contact order, decides',
      input: input({ message: sent({ to: [`Bob <${BOB}>`, ALICE] }), contactsByEmail: aliceAndBob }),
      expected: sentTo('b1', 'sent_to_assigned_contact', firstTo),
    },
    {
      name: 'R7: a leading To address that is no contact is passed over',
      input: input({ message: sent({ to: [STRANGER, ALICE] }) }),
      expected: sentTo('a1', 'sent_to_assigned_contact'),
    },
    {
      name: "R7: a leading To contact assigned to a colleague is passed over for the user's own contact",
      input: input({
        message: sent({ to: [BOB, ALICE] }),
        contactsByEmail: [contact('L1', 'b1', BOB, { assignedUserId: 'u2' }), contact('L1', 'a1', ALICE)],
      }),
      expected: sentTo('a1', 'sent_to_assigned_contact'),
    },
    {
      name: 'R7: later messages of the thread follow the link, not recipient order',
      input: input({
        message: sent({ to: [ALICE, BOB] }), contactsByEmail: aliceAndBob,
        threadLinks: [link('L1', 'conv-bob', 'b1', { connectionId: 'c-L1', ruleId: 'R5' })],
      }),
      expected: [{
        connectionId: 'c-L1', locationId: 'L1', ruleId: 'R4', reason: 'linked_thread_sent', outcome: 'synced',
        direction: 'outbound', target: { kind: 'link', conversationId: 'conv-bob', contactId: 'b1' }, threadLink: { ruleId: 'R5' },
      }],
    },
  ];
  runTable(cases);
});

describe('R8 Cc and Bcc never own', () => {
  const ccNote = [{ ruleId: 'R8' as const, reason: 'user_in_cc_or_bcc' as const }];
  const underAlice = {
    connectionId: 'c-L1', locationId: 'L1', ruleId: 'R2' as const, reason: 'assigned_contact' as const, outcome: 'synced' as const,
    direction: 'inbound' as const, target: { kind: 'contact' as const, contactId: 'a1' }, threadLink: { ruleId: 'R2' as const },
  };
  const cases: Case[] = [
    {
      name: 'R8: Gmail: a contact writing to someone else with the user in Cc syncs under the sending contact',
      input: input({ message: inbound({ to: [STRANGER], cc: [OWNER] }) }),
      expected: [{ ...underAlice, notes: ccNote }],
    },
    {
      name: 'R8: Gmail: the same when the user was only Bcc (not in To or Cc)',
      input: input({ message: inbound({ to: [STRANGER] }) }),
      expected: [{ ...underAlice, notes: ccNote }],
    },
    {
      name: 'R8: a contact in Cc of mail from an unknown sender does not own it',
      input: input({ message: inbound({ from: STRANGER, cc: [ALICE] }) }),
      expected: [skippedAt('c-L1', 'L1', 'R2', 'unknown_sender')],
    },
    {
      name: 'R8: a send whose only contact is in Cc is not synced',
      input: input({ message: sent({ to: [STRANGER], cc: [ALICE] }) }),
      expected: [skippedAt('c-L1', 'L1', 'R8', 'cc_bcc_never_own')],
    },
    {
      name: 'R8: a send whose only contact is in Bcc is not synced',
      input: input({ message: sent({ to: [STRANGER], bcc: [ALICE] }) }),
      expected: [skippedAt('c-L1', 'L1', 'R8', 'cc_bcc_never_own')],
    },
    {
      name: 'R8: a Cc contact never takes the conversation from the To contact',
      input: input({ message: sent({ to: [ALICE], cc: [BOB] }), contactsByEmail: aliceAndBob }),
      expected: sentTo('a1', 'sent_to_assigned_contact'),
    },
    {
      name: 'R8: Outlook: the user only in Cc of an unlinked thread is not synced (R3)',
      input: input({ provider: 'outlook', message: inbound({ to: [STRANGER], cc: [OWNER] }) }),
      expected: [skippedAt('c-L1', 'L1', 'R3', 'thread_not_crm_initiated')],
    },
    {
      name: 'R8: Outlook: the user only in Cc inside a linked thread syncs',
      input: input({
        provider: 'outlook', message: inbound({ to: [STRANGER], cc: [OWNER] }),
        threadLinks: [link('L1', 'conv-1', 'a1', { connectionId: 'c-L1' })],
      }),
      expected: [{
        connectionId: 'c-L1', locationId: 'L1', ruleId: 'R1', reason: 'linked_thread', outcome: 'synced',
        direction: 'inbound', target: { kind: 'link', conversationId: 'conv-1', contactId: 'a1' }, threadLink: { ruleId: 'R1' },
      }],
    },
  ];
  runTable(cases);
});

describe('R9 the earliest-created contact wins', () => {
  const earliest = [{ ruleId: 'R9' as const, reason: 'earliest_created_contact' as const }];
  const inboundTo = (contactId: string, notes?: typeof earliest): Case['expected'] => [{
    connectionId: 'c-L1', locationId: 'L1', ruleId: 'R2', reason: 'assigned_contact', outcome: 'synced', direction: 'inbound',
    target: { kind: 'contact', contactId }, threadLink: { ruleId: 'R2' }, ...(notes ? { notes } : {}),
  }];
  const cases: Case[] = [
    {
      name: 'R9: of two contacts with the sender address, the earlier created one gets the message',
      input: input({
        contactsByEmail: [
          contact('L1', 'a-late', ALICE, { createdAt: '2025-08-01T00:00:00.000Z' }),
          contact('L1', 'a-early', ALICE, { createdAt: '2025-02-01T00:00:00.000Z' }),
        ],
      }),
      expected: inboundTo('a-early', earliest),
    },
    {
      name: 'R9: created at the same instant (written in other offsets), the lowest id wins, numerically',
      input: input({
        contactsByEmail: [
          contact('L1', '10', ALICE, { createdAt: '2025-02-01T01:00:00+01:00' }),
          contact('L1', '9', ALICE, { createdAt: '2025-02-01T00:00:00.000Z' }),
        ],
      }),
      expected: inboundTo('9', earliest),
    },
    {
      name: "R9: an older duplicate assigned to a colleague does not take the user's contact's mail",
      input: input({
        contactsByEmail: [
          contact('L1', 'a-old', ALICE, { createdAt: '2024-01-01T00:00:00.000Z', assignedUserId: 'u2' }),
          contact('L1', 'a-mine', ALICE, { createdAt: '2025-01-01T00:00:00.000Z' }),
        ],
      }),
      expected: inboundTo('a-mine'),
    },
    {
      name: 'R9: a send to a shared address goes to the earliest-created contact',
      input: input({
        message: sent(),
        contactsByEmail: [
          contact('L1', 'a-2', ALICE, { createdAt: '2025-03-01T00:00:00.000Z' }),
          contact('L1', 'a-1', ALICE, { createdAt: '2025-03-01T00:00:00.000Z' }),
        ],
      }),
      expected: sentTo('a-1', 'sent_to_assigned_contact', earliest),
    },
  ];
  runTable(cases);
});
