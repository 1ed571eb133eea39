import { describe } from 'vitest';
import {
  ALICE, BOB, STRANGER, contact, inbound, input, link, runTable, sent, skippedAt, type Case,
} from './test-fixtures';

const crmThread = link('L1', 'conv-1', 'a1', { connectionId: 'c-L1' });

describe('R1 linked threads sync both directions', () => {
  const cases: Case[] = [
    {
      name: 'R1: a reply from the contact in a CRM-started thread syncs into the linked conversation',
      input: input({ threadLinks: [crmThread] }),
      expected: [{
        connectionId: 'c-L1', locationId: 'L1', ruleId: 'R1', reason: 'linked_thread', outcome: 'synced',
        direction: 'inbound', target: { kind: 'link', conversationId: 'conv-1', contactId: 'a1' }, threadLink: { ruleId: 'R1' },
      }],
    },
    {
      name: 'R1: Outlook linked threads sync as well',
      input: input({ provider: 'outlook', threadLinks: [crmThread] }),
      expected: [{
        connectionId: 'c-L1', locationId: 'L1', ruleId: 'R1', reason: 'linked_thread', outcome: 'synced',
        direction: 'inbound', target: { kind: 'link', conversationId: 'conv-1', contactId: 'a1' }, threadLink: { ruleId: 'R1' },
      }],
    },
    {
      name: 'R1: anyone writing in a linked thread syncs, contact or not',
      input: input({ provider: 'outlook', message: inbound({ from: STRANGER }), contactsByEmail: [], threadLinks: [crmThread] }),
      expected: [{
        connectionId: 'c-L1', locationId: 'L1', ruleId: 'R1', reason: 'linked_thread', outcome: 'synced',
        direction: 'inbound', target: { kind: 'link', conversationId: 'conv-1', contactId: 'a1' }, threadLink: { ruleId: 'R1' },
      }],
    },
    {
      name: 'R1: a link stopped for a reason the rules do not name receives nothing',
      input: input({ threadLinks: [{ ...crmThread, state: 'stopped', reason: 'contact_deleted' }] }),
      expected: [skippedAt('c-L1', 'L1', 'R1', 'link_inactive')],
    },
  ];
  runTable(cases);
});

describe('R2 Gmail inbound from an assigned contact', () => {
  const cases: Case[] = [
    {
      name: 'R2: mail from a contact assigned to the user syncs into their conversation and links the thread',
      input: input(),
      expected: [{
        connectionId: 'c-L1', locationId: 'L1', ruleId: 'R2', reason: 'assigned_contact', outcome: 'synced',
        direction: 'inbound', target: { kind: 'contact', contactId: 'a1' }, threadLink: { ruleId: 'R2' },
      }],
    },
    {
      name: 'R2: the sender matches whatever the case and display name',
      input: input({ message: inbound({ from: '"Alice A." <ALICE@Client.TEST>' }) }),
      expected: [{
        connectionId: 'c-L1', locationId: 'L1', ruleId: 'R2', reason: 'assigned_contact', outcome: 'synced',
        direction: 'inbound', target: { kind: 'contact', contactId: 'a1' }, threadLink: { ruleId: 'R2' },
      }],
    },
    {
      name: 'R2: a contact assigned to another user is not synced',
      input: input({ contactsByEmail: [contact('L1', 'a1', ALICE, { assignedUserId: 'u2' })] }),
      expected: [skippedAt('c-L1', 'L1', 'R2', 'contact_not_assigned')],
    },
    {
      name: 'R2: an unassigned contact is not synced',
      input: input({ contactsByEmail: [contact('L1', 'a1', ALICE, { assignedUserId: null })] }),
      expected: [skippedAt('c-L1', 'L1', 'R2', 'contact_not_assigned')],
    },
    {
      name: 'R2: an unknown sender is not synced and no contact is created',
      input: input({ message: inbound({ from: STRANGER }) }),
      expected: [skippedAt('c-L1', 'L1', 'R2', 'unknown_sender')],
    },
    {
      name: 'R2: a contact of another location does not count here',
      input: input({ contactsByEmail: [contact('L9', 'a9', ALICE)] }),
      expected: [skippedAt('c-L1', 'L1', 'R2', 'unknown_sender')],
    },
  ];
  runTable(cases);
});

describe('R3 Outlook syncs only linked threads', () => {
  const cases: Case[] = [
    {
      name: 'R3: Outlook mail from an assigned contact in an unlinked thread is not synced',
      input: input({ provider: 'outlook' }),
      expected: [skippedAt('c-L1', 'L1', 'R3', 'thread_not_crm_initiated')],
    },
    {
      name: 'R3: Outlook mail from an unknown sender in an unlinked thread is not synced',
      input: input({ provider: 'outlook', message: inbound({ from: STRANGER }) }),
      expected: [skippedAt('c-L1', 'L1', 'R3', 'thread_not_crm_initiated')],
    },
    {
      name: 'R3: an Outlook mail-client send to an assigned contact outside a linked thread is not synced',
      input: input({ provider: 'outlook', message: sent() }),
      expected: [skippedAt('c-L1', 'L1', 'R3', 'thread_not_crm_initiated')],
    },
  ];
  runTable(cases);
});

describe('R4 mail-client sends inside linked threads', () => {
  const expected = [{
    connectionId: 'c-L1', locationId: 'L1', ruleId: 'R4' as const, reason: 'linked_thread_sent' as const, outcome: 'synced' as const,
    direction: 'outbound' as const, target: { kind: 'link' as const, conversationId: 'conv-1', contactId: 'a1' }, threadLink: { ruleId: 'R1' as const },
  }];
  const cases: Case[] = [
    { name: 'R4: Gmail: the user replying from the mail client in a linked thread syncs outbound', input: input({ message: sent(), threadLinks: [crmThread] }), expected },
    { name: 'R4: Outlook: the same reply syncs outbound', input: input({ provider: 'outlook', message: sent(), threadLinks: [crmThread] }), expected },
    {
      name: 'R4: the link decides even when the reply goes to someone who is not a contact',
      input: input({ message: sent({ to: [STRANGER] }), threadLinks: [crmThread] }),
      expected,
    },
  ];
  runTable(cases);
});

describe('R5 Gmail mail-client sends to assigned contacts', () => {
  const cases: Case[] = [
    {
      name: 'R5: a Gmail send to an assigned contact syncs outbound and links the thread',
      input: input({ message: sent() }),
      expected: [{
        connectionId: 'c-L1', locationId: 'L1', ruleId: 'R5', reason: 'sent_to_assigned_contact', outcome: 'synced',
        direction: 'outbound', target: { kind: 'contact', contactId: 'a1' }, threadLink: { ruleId: 'R5' },
      }],
    },
    {
      name: 'R5: a send to a contact assigned to someone else is not synced',
      input: input({ message: sent(), contactsByEmail: [contact('L1', 'a1', ALICE, { assignedUserId: 'u2' })] }),
      expected: [skippedAt('c-L1', 'L1', 'R5', 'recipient_not_assigned')],
    },
    {
      name: 'R5: a send to addresses that are no contacts is not synced',
      input: input({ message: sent({ to: [STRANGER] }) }),
      expected: [skippedAt('c-L1', 'L1', 'R5', 'unknown_recipient')],
    },
    {
      name: 'R5: Outlook does not sync the same send (R3)',
      input: input({ provider: 'outlook', message: sent() }),
      expected: [skippedAt('c-L1', 'L1', 'R3', 'thread_not_crm_initiated')],
    },
  ];
  runTable(cases);
});

describe('R6 forwards are sent emails', () => {
  const cases: Case[] = [
    {
      name: 'R6: a Gmail forward to an assigned contact syncs under that contact',
      input: input({ message: sent({ isForward: true, subject: 'Fwd: Quote' }) }),
      expected: [{
        connectionId: 'c-L1', locationId: 'L1', ruleId: 'R6', reason: 'forwarded_to_contact', outcome: 'synced',
        direction: 'outbound', target: { kind: 'contact', contactId: 'a1' }, threadLink: { ruleId: 'R6' },
      }],
    },
    {
      name: 'R6: a forward inside a linked thread follows the link like any sent email (R4)',
      input: input({ message: sent({ isForward: true, to: [BOB] }), threadLinks: [crmThread] }),
      expected: [{
        connectionId: 'c-L1', locationId: 'L1', ruleId: 'R6', reason: 'forwarded_in_linked_thread', outcome: 'synced',
        direction: 'outbound', target: { kind: 'link', conversationId: 'conv-1', contactId: 'a1' }, threadLink: { ruleId: 'R1' },
      }],
    },
    {
      name: 'R6: a forward to someone who is not a contact is not synced',
      input: input({ message: sent({ isForward: true, to: [STRANGER] }) }),
      expected: [skippedAt('c-L1', 'L1', 'R6', 'forward_recipient_unknown')],
    },
    {
      name: 'R6: a forward to a contact assigned to someone else is not synced',
      input: input({ message: sent({ isForward: true }), contactsByEmail: [contact('L1', 'a1', ALICE, { assignedUserId: 'u2' })] }),
      expected: [skippedAt('c-L1', 'L1', 'R6', 'forward_recipient_not_assigned')],
    },
    {
      name: 'R6: an Outlook forward outside a linked thread is not synced (R3)',
      input: input({ provider: 'outlook', message: sent({ isForward: true }) }),
      expected: [skippedAt('c-L1', 'L1', 'R3', 'thread_not_crm_initiated')],
    },
    {
      name: 'R6: a forward the contact sends to the user is plain inbound mail (R2)',
      input: input({ message: inbound({ isForward: true, subject: 'Fwd: Invoice' }) }),
      expected: [{
        connectionId: 'c-L1', locationId: 'L1', ruleId: 'R2', reason: 'assigned_contact', outcome: 'synced',
        direction: 'inbound', target: { kind: 'contact', contactId: 'a1' }, threadLink: { ruleId: 'R2' },
      }],
    },
  ];
  runTable(cases);
});
