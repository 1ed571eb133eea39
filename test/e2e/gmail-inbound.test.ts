import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueAddress } from '../helpers/addresses';
import { conversationMessages, decisionsFor } from '../helpers/crm-views';
import type { ContactSeed } from '../helpers/directory';
import { startGmailStack, type GmailStack } from '../helpers/gmail-stack';
import { prepareMailbox, setupMailbox } from '../helpers/mailbox';

describe('Gmail inbound rules', () => {
  let stack: GmailStack;
  beforeAll(async () => {
    stack = await startGmailStack({ recordAs: 'gmail-inbound' });
  });
  afterAll(async () => {
    await stack.close();
  });

  const setup = (tag: string, contacts: ContactSeed[]) => setupMailbox(stack, 'gmail', contacts, { tag });

  it('R2: syncs a message from an assigned contact, skips an unassigned contact and an unknown sender', async () => {
    const assigned = uniqueAddress('assigned', 'client.test');
    const unassigned = uniqueAddress('unassigned', 'client.test');
    const stranger = uniqueAddress('stranger', 'else.test');
    const s = await setup('r2', [
      { id: 'c-assigned', email: assigned },
      { id: 'c-unassigned', email: unassigned, assignedUserId: null },
    ]);
    const m1 = await s.sandbox.deliver({ from: assigned, to: [s.owner], subject: 'Quote please', text: 'Hi, can I get a quote?' });
    const m2 = await s.sandbox.deliver({ from: unassigned, to: [s.owner], subject: 'Hello', text: 'Not mine' });
    const m3 = await s.sandbox.deliver({ from: stranger, to: [s.owner], subject: 'Offer', text: 'Buy now' });

    expect(await decisionsFor(stack, s.connectionId, m1.messageId)).toMatchObject([{ ruleId: 'R2', reason: 'assigned_contact', outcome: 'synced' }]);
    expect(await decisionsFor(stack, s.connectionId, m2.messageId)).toMatchObject([{ ruleId: 'R2', reason: 'contact_not_assigned', outcome: 'skipped', messageId: null }]);
    expect(await decisionsFor(stack, s.connectionId, m3.messageId)).toMatchObject([{ ruleId: 'R2', reason: 'unknown_sender', outcome: 'skipped', messageId: null }]);

    const messages = await conversationMessages(stack, s.locationId, 'c-assigned');
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ direction: 'inbound', source: 'contact', from: assigned, to: [s.owner], subject: 'Quote please', ruleId: 'R2', providerMessageId: m1.messageId, threadKey: m1.threadId });
    expect(messages[0].text).toContain('Hi, can I get a quote?');
    expect(await conversationMessages(stack, s.locationId, 'c-unassigned')).toEqual([]);
    const contacts = await stack.db.selectFrom('contacts').select('email').where('location_id', '=', s.locationId).execute();
    expect(contacts.map((c) => c.email).sort()).toEqual([assigned, unassigned].sort());
    const link = await stack.db.selectFrom('thread_links').selectAll().where('account_id', '=', s.accountId).execute();
    expect(link).toMatchObject([{ provider_thread_id: m1.threadId, location_id: s.locationId, state: 'active', rule_id: 'R2' }]);
  });

  it('R7: the first To recipient in header order owns the conversation, later messages follow the link', async () => {
    const [a, b, c] = ['first', 'second', 'third'].map((n) => uniqueAddress(n, 'client.test'));
    const s = await setup('r7', [
      { id: 'c-first', email: a! },
      { id: 'c-second', email: b! },
      { id: 'c-third', email: c! },
    ]);
    const sent = await s.sandbox.sendAsOwner({ to: [b!, a!, c!], subject: 'Kick-off', text: 'Welcome all' });
    expect(await decisionsFor(stack, s.connectionId, sent.messageId)).toMatchObject([{ ruleId: 'R5', outcome: 'synced' }]);
    const reply = await s.sandbox.deliver({ from: c!, to: [s.owner], cc: [a!, b!], subject: 'Re: Kick-off', text: 'Thanks', inReplyTo: sent.rfcMessageId, references: [sent.rfcMessageId] });
    expect(await decisionsFor(stack, s.connectionId, reply.messageId)).toMatchObject([{ ruleId: 'R1', reason: 'linked_thread', outcome: 'synced' }]);

    const owned = await conversationMessages(stack, s.locationId, 'c-second');
    expect(owned.map((m) => [m.direction, m.subject])).toEqual([['outbound', 'Kick-off'], ['inbound', 'Re: Kick-off']]);
    expect(await conversationMessages(stack, s.locationId, 'c-first')).toEqual([]);
    expect(await conversationMessages(stack, s.locationId, 'c-third')).toEqual([]);
  });

  it('R8: Cc never owns; a contact writing to someone else with the user in Cc syncs under the sender', async () => {
    const sender = uniqueAddress('sender', 'client.test');
    const ccOnly = uniqueAddress('cc-only', 'client.test');
    const other = uniqueAddress('other', 'else.test');
    const s = await setup('r8', [
      { id: 'c-sender', email: sender },
      { id: 'c-cc', email: ccOnly },
    ]);
    const m = await s.sandbox.deliver({ from: sender, to: [other], cc: [s.owner, ccOnly], subject: 'FYI', text: 'See below' });
    const [decision] = await decisionsFor(stack, s.connectionId, m.messageId);
    expect(decision).toMatchObject({ ruleId: 'R2', outcome: 'synced' });
    const messages = await conversationMessages(stack, s.locationId, 'c-sender');
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ to: [other], cc: [s.owner, ccOnly] });
    expect(await conversationMessages(stack, s.locationId, 'c-cc')).toEqual([]);
    const contacts = await stack.db.selectFrom('contacts').select('email').where('location_id', '=', s.locationId).execute();
    expect(contacts.map((c) => c.email)).not.toContain(other);
  });

  it('R9: one address matching several contacts goes to the earliest created', async () => {
    const shared = uniqueAddress('shared', 'client.test');
    const s = await setup('r9', [
      { id: 'c-late', email: shared, createdAt: '2026-03-01T00:00:00.000Z' },
      { id: 'c-early', email: shared, createdAt: '2026-01-01T00:00:00.000Z' },
    ]);
    const m = await s.sandbox.deliver({ from: shared, to: [s.owner], subject: 'Which one?', text: 'me' });
    expect(await decisionsFor(stack, s.connectionId, m.messageId)).toMatchObject([{ ruleId: 'R2', outcome: 'synced' }]);
    expect(await conversationMessages(stack, s.locationId, 'c-early')).toHaveLength(1);
    expect(await conversationMessages(stack, s.locationId, 'c-late')).toEqual([]);
  });

  it('R13: a message received before connect never syncs, even when it shows up in the history later', async () => {
    const client = uniqueAddress('old', 'client.test');
    const box = await prepareMailbox(stack, 'gmail', [{ id: 'c-old', email: client }], { tag: 'r13' });
    const old = await box.sandbox.deliver({ from: client, to: [box.owner], subject: 'Old news', text: 'from before', date: new Date(Date.now() - 86_400_000).toISOString() });
    stack.sandbox.control.modifyLabels(box.owner, old.messageId, [], ['INBOX']);
    const s = await box.connect();
    // Moved back into the inbox after connect: the change history now names the old message.
    stack.sandbox.control.modifyLabels(s.owner, old.messageId, ['INBOX'], []);
    const fresh = await s.sandbox.deliver({ from: client, to: [s.owner], subject: 'New news', text: 'after connect' });
    expect(await decisionsFor(stack, s.connectionId, fresh.messageId)).toMatchObject([{ outcome: 'synced' }]);
    expect(await decisionsFor(stack, s.connectionId, old.messageId)).toMatchObject([{ ruleId: 'R13', reason: 'before_connect', outcome: 'skipped' }]);
    const messages = await conversationMessages(stack, s.locationId, 'c-old');
    expect(messages.map((m) => m.subject)).toEqual(['New news']);
  });

  it('R17: an incoming message over Gmail’s 25 MB attachment limit is not synced', async () => {
    const client = uniqueAddress('big', 'client.test');
    const s = await setup('r17in', [{ id: 'c-big', email: client }]);
    const big = Buffer.alloc(26 * 1024 * 1024, 7);
    const m = await s.sandbox.deliver({ from: client, to: [s.owner], subject: 'Huge', text: 'attached', attachments: [{ filename: 'huge.bin', contentType: 'application/octet-stream', content: big }] });
    const small = await s.sandbox.deliver({ from: client, to: [s.owner], subject: 'Small', text: 'attached', attachments: [{ filename: 'plan.pdf', contentType: 'application/pdf', content: Buffer.from('%PDF-1.4 plan') }] });
    expect(await decisionsFor(stack, s.connectionId, m.messageId)).toMatchObject([{ ruleId: 'R17', reason: 'attachment_limit', outcome: 'skipped' }]);
    expect(await decisionsFor(stack, s.connectionId, small.messageId)).toMatchObject([{ outcome: 'synced' }]);
    const messages = await conversationMessages(stack, s.locationId, 'c-big');
    expect(messages.map((x) => [x.subject, x.attachments])).toEqual([['Small', [{ id: expect.any(String), filename: 'plan.pdf', contentType: 'application/pdf', size: 13 }]]]);
  });
});
