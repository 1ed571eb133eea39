import { describe, expect, test } from 'vitest';
import { decideMessage } from './decide-message';
import {
  ALICE, CONNECTED_AT, binding, contact, inbound, input, link, runTable, sent, skippedAt, type Case,
} from './test-fixtures';
import type { Decision } from './types';

const L1 = binding('c-L1', 'L1');
const L2 = binding('c-L2', 'L2');
const aliceInBoth = [contact('L1', 'a1', ALICE), contact('L2', 'a2', ALICE)];

function inboundTo(locationId: string, contactId: string): Decision {
  return {
    connectionId: `c-${locationId}`, locationId, ruleId: 'R2', reason: 'assigned_contact', outcome: 'synced',
    direction: 'inbound', target: { kind: 'contact', contactId }, threadLink: { ruleId: 'R2' },
  };
}

function linked(locationId: string, conversationId: string, contactId: string): Decision {
  return {
    connectionId: `c-${locationId}`, locationId, ruleId: 'R1', reason: 'linked_thread', outcome: 'synced',
    direction: 'inbound', target: { kind: 'link', conversationId, contactId }, threadLink: { ruleId: 'R1' },
  };
}

describe('R13 no backfill', () => {
  const cases: Case[] = [
    {
      name: 'R13: mail received before the connection was made never syncs',
      input: input({ message: inbound({ receivedAt: '2026-02-27T12:00:00.000Z' }) }),
      expected: [skippedAt('c-L1', 'L1', 'R13', 'before_connect')],
    },
    {
      name: 'R13: not even inside a linked thread (an old message showing up after a label change)',
      input: input({ message: inbound({ receivedAt: '2026-02-27T12:00:00.000Z' }), threadLinks: [link('L1', 'conv-1', 'a1')] }),
      expected: [skippedAt('c-L1', 'L1', 'R13', 'before_connect')],
    },
    {
      name: 'R13: mail received at the very instant of connecting syncs',
      input: input({ message: inbound({ receivedAt: CONNECTED_AT }) }),
      expected: [inboundTo('L1', 'a1')],
    },
    {
      name: 'R13: times compare as instants, not as text (09:30+01:00 is before 09:00Z)',
      input: input({ message: inbound({ receivedAt: '2026-03-01T09:30:00+01:00' }) }),
      expected: [skippedAt('c-L1', 'L1', 'R13', 'before_connect')],
    },
    {
      name: 'R13: each connection has its own connect time',
      input: input({
        message: inbound({ receivedAt: '2026-03-05T00:00:00.000Z' }),
        bindings: [L1, binding('c-L2', 'L2', { connectedAt: '2026-03-06T00:00:00.000Z' })], contactsByEmail: aliceInBoth,
      }),
      expected: [inboundTo('L1', 'a1'), skippedAt('c-L2', 'L2', 'R13', 'before_connect')],
    },
  ];
  runTable(cases);

  test('R13: an unreadable receive time is a bug to surface, not a message to sync', () => {
    expect(() => decideMessage(input({ message: inbound({ receivedAt: 'not a time' }) }))).toThrow(
      /message.receivedAt is not an ISO time/,
    );
  });
});

describe('R14 update email stops the old links of that connection', () => {
  const moved = link('L1', 'conv-1', 'a1', { state: 'stopped', reason: 'account_updated' });
  const cases: Case[] = [
    {
      name: 'R14: a link stopped by an account update receives nothing, even from an assigned contact',
      input: input({ threadLinks: [moved] }),
      expected: [skippedAt('c-L1', 'L1', 'R14', 'account_updated')],
    },
    {
      name: "R14: the user's own reply in that thread does not sync either",
      input: input({ message: sent(), threadLinks: [moved] }),
      expected: [skippedAt('c-L1', 'L1', 'R14', 'account_updated')],
    },
    {
      name: 'R14: the old account keeps syncing for the other connections bound to it',
      input: input({ bindings: [L1, L2], contactsByEmail: aliceInBoth, threadLinks: [moved, link('L2', 'conv-2', 'a2')] }),
      expected: [skippedAt('c-L1', 'L1', 'R14', 'account_updated'), linked('L2', 'conv-2', 'a2')],
    },
  ];
  runTable(cases);
});

describe('R15 disconnect', () => {
  const cases: Case[] = [
    {
      name: 'R15: a disconnected connection gets nothing, linked thread or not',
      input: input({ bindings: [binding('c-L1', 'L1', { status: 'disconnected' })], threadLinks: [link('L1', 'conv-1', 'a1')] }),
      expected: [skippedAt('c-L1', 'L1', 'R15', 'disconnected')],
    },
    {
      name: 'R15: a link stopped by a disconnect stays stopped after reconnecting',
      input: input({ threadLinks: [link('L1', 'conv-1', 'a1', { state: 'stopped', reason: 'disconnected' })] }),
      expected: [skippedAt('c-L1', 'L1', 'R15', 'link_disconnected')],
    },
    {
      name: 'R15: a link stopped because the user left the location stays stopped when they come back',
      input: input({ threadLinks: [link('L1', 'conv-1', 'a1', { state: 'stopped', reason: 'user_left_location' })] }),
      expected: [skippedAt('c-L1', 'L1', 'R15', 'link_stopped')],
    },
    {
      name: 'R15: the other locations of the account keep syncing',
      input: input({ bindings: [binding('c-L1', 'L1', { status: 'disconnected' }), L2], contactsByEmail: aliceInBoth }),
      expected: [skippedAt('c-L1', 'L1', 'R15', 'disconnected'), inboundTo('L2', 'a2')],
    },
  ];
  runTable(cases);
});

describe('R19 re-authentication loses nothing', () => {
  const cases: Case[] = [
    {
      name: 'R19: a message read for a connection awaiting re-authentication is decided like any other',
      input: input({ bindings: [binding('c-L1', 'L1', { status: 'needs_reauth' })] }),
      expected: [inboundTo('L1', 'a1')],
    },
  ];
  runTable(cases);
});
