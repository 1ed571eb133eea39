import { describe } from 'vitest';
import {
  ALICE, MB, binding, contact, inbound, input, link, referenced, runTable, sent, skippedAt, type Case,
} from './test-fixtures';
import type { AttachmentFacts, Decision } from './types';

const L1 = binding('c-L1', 'L1');
const L2 = binding('c-L2', 'L2');
const file = (filename: string, size: number): AttachmentFacts => ({ filename, size, contentType: 'application/octet-stream' });
const fromAlice: Decision = {
  connectionId: 'c-L1', locationId: 'L1', ruleId: 'R2', reason: 'assigned_contact', outcome: 'synced',
  direction: 'inbound', target: { kind: 'contact', contactId: 'a1' }, threadLink: { ruleId: 'R2' },
};
const linked: Decision = {
  connectionId: 'c-L1', locationId: 'L1', ruleId: 'R1', reason: 'linked_thread', outcome: 'synced',
  direction: 'inbound', target: { kind: 'link', conversationId: 'conv-1', contactId: 'a1' }, threadLink: { ruleId: 'R1' },
};

describe('R21 thread identity falls back to Message-ID references', () => {
  const byReferences = [{ ruleId: 'R21' as const, reason: 'matched_by_references' as const }];
  const parentLink = link('L1', 'conv-1', 'a1', { providerThreadId: 'thread-0' });
  const cases: Case[] = [
    {
      name: 'R21: a reply in a new provider thread joins the conversation of the message it answers',
      input: input({
        provider: 'outlook', message: inbound({ providerThreadId: 'thread-2', inReplyTo: '<m0@mail.test>' }),
        referencedLinks: [referenced('<m0@mail.test>', parentLink)],
      }),
      expected: [{ ...linked, notes: byReferences }],
    },
    {
      name: 'R21: the closest ancestor wins: In-Reply-To, then the last of References',
      input: input({
        message: inbound({ references: ['<m0@mail.test>', '<m1@mail.test>'] }),
        referencedLinks: [
          referenced('<m0@mail.test>', link('L1', 'conv-old', 'a1')),
          referenced('m1@mail.test', link('L1', 'conv-1', 'a1')),
        ],
      }),
      expected: [{ ...linked, notes: byReferences }],
    },
    {
      name: "R21: the thread's own link comes first",
      input: input({
        message: inbound({ inReplyTo: '<m0@mail.test>' }), threadLinks: [link('L1', 'conv-1', 'a1')],
        referencedLinks: [referenced('<m0@mail.test>', link('L1', 'conv-other', 'a1'))],
      }),
      expected: [linked],
    },
    {
      name: 'R21: a referenced link that is no longer active keeps the message out',
      input: input({
        message: inbound({ inReplyTo: '<m0@mail.test>' }),
        referencedLinks: [referenced('<m0@mail.test>', link('L1', 'conv-1', 'a1', { state: 'stopped', reason: 'disconnected' }))],
      }),
      expected: [{ ...skippedAt('c-L1', 'L1', 'R15', 'link_disconnected'), notes: byReferences }],
    },
    {
      name: 'R21: a reference into a CRM thread of another location keeps it there (R11)',
      input: input({
        bindings: [L1, L2], contactsByEmail: [contact('L1', 'a1', ALICE), contact('L2', 'a2', ALICE)],
        message: inbound({ inReplyTo: '<m0@mail.test>' }), referencedLinks: [referenced('<m0@mail.test>', parentLink)],
      }),
      expected: [{ ...linked, notes: byReferences }, skippedAt('c-L2', 'L2', 'R11', 'thread_owned_by_other_location')],
    },
  ];
  runTable(cases);
});

describe('R22 exactly once', () => {
  const crmRecord = { locationId: 'L1', messageId: 'crm-msg-1', conversationId: 'conv-1' };
  const matched: Decision = {
    connectionId: 'c-L1', locationId: 'L1', ruleId: 'R22', reason: 'crm_record_matched', outcome: 'matched',
    direction: 'outbound', target: { kind: 'crm_record', messageId: 'crm-msg-1', conversationId: 'conv-1' }, threadLink: { ruleId: 'R1' },
  };
  const cases: Case[] = [
    {
      name: "R22: the Sent copy of a CRM send is matched to the CRM's record, not stored again",
      input: input({ provider: 'outlook', message: sent(), crmRecord }),
      expected: [matched],
    },
    {
      name: 'R22: matching again after the copy was stored is the same match',
      input: input({ message: sent(), crmRecord, alreadyStored: [{ locationId: 'L1' }] }),
      expected: [matched],
    },
    {
      name: 'R22: the CRM record is matched whatever its attachments (checked before sending)',
      input: input({ provider: 'outlook', message: sent({ attachments: [file('big.mov', 90 * MB)] }), crmRecord }),
      expected: [matched],
    },
    {
      name: "R22: an inbound message that reuses a CRM send's Message-ID is mail of its own, not the Sent copy",
      input: input({ contactsByEmail: [contact('L1', 'a1', ALICE)], message: inbound({ rfcMessageId: '<s1@mail.test>' }), crmRecord }),
      expected: [fromAlice],
    },
    {
      name: "R22: the owner's message outside Sent (e.g. in the inbox only) is not taken for the CRM send's copy",
      input: input({ contactsByEmail: [], message: sent({ inSent: false }), crmRecord }),
      expected: [skippedAt('c-L1', 'L1', 'R5', 'unknown_recipient')],
    },
    {
      name: 'R22: a message already stored in a location is a duplicate there, and new elsewhere',
      input: input({
        bindings: [L1, L2], contactsByEmail: [contact('L1', 'a1', ALICE), contact('L2', 'a2', ALICE)],
        alreadyStored: [{ locationId: 'L1' }],
      }),
      expected: [
        skippedAt('c-L1', 'L1', 'R22', 'duplicate'),
        { ...fromAlice, connectionId: 'c-L2', locationId: 'L2', target: { kind: 'contact', contactId: 'a2' } },
      ],
    },
    {
      name: 'R22: two connections of one location sharing the mailbox store it once',
      input: input({
        bindings: [binding('c-L1-b', 'L1', { userId: 'u2' }), L1],
        contactsByEmail: [contact('L1', 'a1', ALICE), contact('L1', 'a1-b', ALICE, { assignedUserId: 'u2' })],
      }),
      expected: [fromAlice, skippedAt('c-L1-b', 'L1', 'R22', 'stored_by_other_connection')],
    },
  ];
  runTable(cases);
});
