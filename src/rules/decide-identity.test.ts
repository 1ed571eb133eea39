import { describe } from 'vitest';
import {
  ALICE, BOB, MB, OWNER, STRANGER, binding, contact, inbound, input, link, runTable, sent, skippedAt, type Case,
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

describe('R17 attachment limits on incoming mail', () => {
  const cases: Case[] = [
    {
      name: 'R17: Gmail: attachments totalling more than 25 MB keep the message out',
      input: input({ message: inbound({ attachments: [file('a.pdf', 20 * MB), file('b.pdf', 6 * MB)] }) }),
      expected: [skippedAt('c-L1', 'L1', 'R17', 'attachment_limit')],
    },
    {
      name: 'R17: Gmail: exactly 25 MB syncs',
      input: input({ message: inbound({ attachments: [file('a.zip', 25 * MB)] }) }),
      expected: [fromAlice],
    },
    {
      name: 'R17: Outlook: a file type outside the list keeps a linked message out',
      input: input({ provider: 'outlook', message: inbound({ attachments: [file('setup.exe', 1000)] }), threadLinks: [link('L1', 'conv-1', 'a1')] }),
      expected: [skippedAt('c-L1', 'L1', 'R17', 'attachment_limit')],
    },
    {
      name: 'R17: Outlook: one attachment over 3 MB keeps a linked message out',
      input: input({ provider: 'outlook', message: inbound({ attachments: [file('deck.pdf', 3 * MB + 1)] }), threadLinks: [link('L1', 'conv-1', 'a1')] }),
      expected: [skippedAt('c-L1', 'L1', 'R17', 'attachment_limit')],
    },
    {
      name: 'R17: Outlook: allowed types up to 3 MB each sync, whatever the case of the extension',
      input: input({
        provider: 'outlook', threadLinks: [link('L1', 'conv-1', 'a1')],
        message: inbound({ attachments: [file('SCAN.PDF', 3 * MB), file('photo.Jpeg', 2 * MB)] }),
      }),
      expected: [linked],
    },
    {
      name: 'R17: a message skipped for another reason keeps that reason',
      input: input({ message: inbound({ from: STRANGER, attachments: [file('huge.zip', 40 * MB)] }) }),
      expected: [skippedAt('c-L1', 'L1', 'R2', 'unknown_sender')],
    },
  ];
  runTable(cases);
});

describe('R18 the BCC address', () => {
  const bccCopy = (target: Decision['target'], notes?: Decision['notes']): Decision => ({
    connectionId: 'c-L1', locationId: 'L1', ruleId: 'R18', reason: 'bcc_address_copy', outcome: 'synced',
    direction: 'outbound', target, threadLink: { ruleId: 'R18' }, enrolContact: true, ...(notes ? { notes } : {}),
  });
  const enrolled: Decision = {
    connectionId: 'c-L1', locationId: 'L1', ruleId: 'R18', reason: 'bcc_enrolled_contact', outcome: 'synced',
    direction: 'inbound', target: { kind: 'contact', contactId: 'a1' }, threadLink: { ruleId: 'R18' },
  };
  const prospect = 'New Prospect <NEW@prospect.test>';
  const cases: Case[] = [
    {
      name: 'R18: Gmail: a send with the BCC address makes the first To recipient a contact of the user',
      input: input({ message: sent({ to: [prospect], bcc: [L1.bccAddress] }), contactsByEmail: [] }),
      expected: [bccCopy({ kind: 'new_contact', email: 'new@prospect.test', name: 'New Prospect', assignedUserId: 'u1' })],
    },
    {
      name: 'R18: Outlook: the BCC address in Cc works too (the exception to R3)',
      input: input({ provider: 'outlook', message: sent({ to: ['new@prospect.test'], cc: [L1.bccAddress.toUpperCase()] }), contactsByEmail: [] }),
      expected: [bccCopy({ kind: 'new_contact', email: 'new@prospect.test', assignedUserId: 'u1' })],
    },
    {
      name: 'R18: an existing contact is used, not duplicated',
      input: input({ provider: 'outlook', message: sent({ bcc: [L1.bccAddress] }) }),
      expected: [bccCopy({ kind: 'contact', contactId: 'a1' })],
    },
    {
      name: "R18: an existing contact assigned to a colleague is used: the user asked for this mail to be tracked",
      input: input({ message: sent({ bcc: [L1.bccAddress] }), contactsByEmail: [contact('L1', 'a1', ALICE, { assignedUserId: 'u2' })] }),
      expected: [bccCopy({ kind: 'contact', contactId: 'a1' })],
    },
    {
      name: "R18: among duplicates, the user's own contact is preferred, then the earliest created (R9)",
      input: input({
        message: sent({ bcc: [L1.bccAddress] }),
        contactsByEmail: [
          contact('L1', 'a-old', ALICE, { assignedUserId: 'u2', createdAt: '2024-01-01T00:00:00.000Z' }),
          contact('L1', 'a-2', ALICE, { createdAt: '2025-02-01T00:00:00.000Z' }),
          contact('L1', 'a-1', ALICE, { createdAt: '2025-01-01T00:00:00.000Z' }),
        ],
      }),
      expected: [bccCopy({ kind: 'contact', contactId: 'a-1' }, [{ ruleId: 'R9', reason: 'earliest_created_contact' }])],
    },
    {
      name: 'R18: the first To recipient owns it even when a later one is already a contact',
      input: input({ message: sent({ to: [STRANGER, ALICE], bcc: [L1.bccAddress] }) }),
      expected: [bccCopy({ kind: 'new_contact', email: STRANGER, assignedUserId: 'u1' })],
    },
    {
      name: "R18: only the connection whose BCC address was used; the others follow their own rules",
      input: input({
        provider: 'outlook', bindings: [L1, L2], message: sent({ to: [BOB], bcc: [L1.bccAddress] }), contactsByEmail: [],
      }),
      expected: [
        bccCopy({ kind: 'new_contact', email: BOB, assignedUserId: 'u1' }),
        skippedAt('c-L2', 'L2', 'R3', 'thread_not_crm_initiated'),
      ],
    },
    {
      name: 'R18: a BCC-address send with no To recipient has nobody to file it under',
      input: input({ message: sent({ to: [OWNER], bcc: [L1.bccAddress] }) }),
      expected: [skippedAt('c-L1', 'L1', 'R18', 'bcc_no_recipient')],
    },
    {
      name: "R18: Outlook: later inbound mail from the enrolled contact syncs for that connection",
      input: input({ provider: 'outlook', bccEnrolledContacts: [{ connectionId: 'c-L1', contactId: 'a1' }] }),
      expected: [enrolled],
    },
    {
      name: 'R18: Gmail: an enrolled contact that is not assigned to the user still syncs',
      input: input({
        contactsByEmail: [contact('L1', 'a1', ALICE, { assignedUserId: null })],
        bccEnrolledContacts: [{ connectionId: 'c-L1', contactId: 'a1' }],
      }),
      expected: [enrolled],
    },
    {
      name: 'R18: enrolment belongs to one connection; the others stay under R3',
      input: input({
        provider: 'outlook', bindings: [L1, L2], contactsByEmail: [contact('L1', 'a1', ALICE), contact('L2', 'a1', ALICE)],
        bccEnrolledContacts: [{ connectionId: 'c-L1', contactId: 'a1' }],
      }),
      expected: [enrolled, skippedAt('c-L2', 'L2', 'R3', 'thread_not_crm_initiated')],
    },
    {
      name: 'R18: inside a thread already linked here, the link decides (R4)',
      input: input({ provider: 'outlook', message: sent({ bcc: [L1.bccAddress] }), threadLinks: [link('L1', 'conv-1', 'a1')] }),
      expected: [{ ...linked, ruleId: 'R4', reason: 'linked_thread_sent', direction: 'outbound' }],
    },
    {
      name: 'R18: the BCC address on mail someone else sent enrols nobody',
      input: input({ provider: 'outlook', message: inbound({ cc: [L1.bccAddress] }) }),
      expected: [skippedAt('c-L1', 'L1', 'R3', 'thread_not_crm_initiated')],
    },
  ];
  runTable(cases);
});
