import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueAddress } from '../helpers/addresses';
import { conversationMessages, decisionsFor } from '../helpers/crm-views';
import type { ContactSeed } from '../helpers/directory';
import { startGmailStack, type GmailStack } from '../helpers/gmail-stack';
import { setupMailbox } from '../helpers/mailbox';
import { waitFor } from '../helpers/wait';

describe('Gmail: CRM sends, mail-client sends and threading', () => {
  let stack: GmailStack;
  beforeAll(async () => {
    stack = await startGmailStack({ recordAs: 'gmail-outbound' });
  });
  afterAll(async () => {
    await stack.close();
  });

  const setup = (tag: string, contacts: ContactSeed[]) => setupMailbox(stack, 'gmail', contacts, { tag });

  it('R1: a CRM send goes out through the mailbox, links the thread, and the reply syncs into the same conversation', async () => {
    const client = uniqueAddress('client', 'client.test');
    const s = await setup('r1', [{ id: 'c-1', email: client }]);
    const sent = await s.send({ contactId: 'c-1', subject: 'Your quote', text: 'Here it is.' }, 'r1-send-1');
    expect(sent.status).toBe(201);
    expect(sent.body).toMatchObject({ direction: 'outbound', source: 'crm', sendStatus: 'sent', from: s.owner, to: [client], subject: 'Your quote', ruleId: 'R1' });

    const inSent = s.sandbox.sent();
    expect(inSent).toHaveLength(1);
    expect(inSent[0]!.id).toBe(sent.body.providerMessageId);
    const link = await stack.db.selectFrom('thread_links').selectAll().where('account_id', '=', s.accountId).executeTakeFirstOrThrow();
    expect(link).toMatchObject({ provider_thread_id: sent.body.threadKey, location_id: s.locationId, state: 'active', rule_id: 'R1', connection_id: s.connectionId });

    const reply = await s.sandbox.deliver({ from: client, to: [s.owner], subject: 'Re: Your quote', text: 'Looks good', inReplyTo: sent.body.rfcMessageId, references: [sent.body.rfcMessageId] });
    expect(reply.threadId).toBe(sent.body.threadKey);
    expect(await decisionsFor(stack, s.connectionId, reply.messageId)).toMatchObject([{ ruleId: 'R1', reason: 'linked_thread', outcome: 'synced' }]);
    // R22: the Sent copy syncs back and is matched to the CRM's record, not stored again.
    expect(await decisionsFor(stack, s.connectionId, sent.body.providerMessageId)).toMatchObject([{ ruleId: 'R22', reason: 'crm_record_matched', outcome: 'matched', messageId: sent.body.id }]);

    const messages = await conversationMessages(stack, s.locationId, 'c-1');
    expect(messages.map((m) => [m.direction, m.source, m.subject])).toEqual([
      ['outbound', 'crm', 'Your quote'],
      ['inbound', 'contact', 'Re: Your quote'],
    ]);
    expect(messages[1].conversationId).toBe(sent.body.conversationId);
  });

  it('R4: the user’s reply from Gmail inside a linked thread syncs as outbound', async () => {
    const client = uniqueAddress('client4', 'client.test');
    const s = await setup('r4', [{ id: 'c-4', email: client }]);
    const sent = await s.send({ contactId: 'c-4', subject: 'Meeting', text: 'Tuesday?' });
    expect(sent.status).toBe(201);
    const answer = await s.sandbox.sendAsOwner({ to: [client], subject: 'Re: Meeting', text: 'Or Wednesday.', replyToProviderMessageId: sent.body.providerMessageId });
    expect(answer.threadId).toBe(sent.body.threadKey);
    expect(await decisionsFor(stack, s.connectionId, answer.messageId)).toMatchObject([{ ruleId: 'R4', reason: 'linked_thread_sent', outcome: 'synced' }]);
    const messages = await conversationMessages(stack, s.locationId, 'c-4');
    expect(messages.map((m) => [m.direction, m.source])).toEqual([['outbound', 'crm'], ['outbound', 'mail_client']]);
  });

  it('R5: a mail-client send to an assigned contact syncs and links; to an unassigned one it does not', async () => {
    const mine = uniqueAddress('mine', 'client.test');
    const notMine = uniqueAddress('not-mine', 'client.test');
    const s = await setup('r5', [{ id: 'c-mine', email: mine }, { id: 'c-not-mine', email: notMine, assignedUserId: null }]);
    const a = await s.sandbox.sendAsOwner({ to: [mine], subject: 'Proposal', text: 'Attached soon' });
    const b = await s.sandbox.sendAsOwner({ to: [notMine], subject: 'Hello', text: 'Hi' });
    expect(await decisionsFor(stack, s.connectionId, a.messageId)).toMatchObject([{ ruleId: 'R5', reason: 'sent_to_assigned_contact', outcome: 'synced' }]);
    expect(await decisionsFor(stack, s.connectionId, b.messageId)).toMatchObject([{ ruleId: 'R5', reason: 'recipient_not_assigned', outcome: 'skipped' }]);
    expect((await conversationMessages(stack, s.locationId, 'c-mine')).map((m) => [m.direction, m.source, m.ruleId])).toEqual([['outbound', 'mail_client', 'R5']]);
    const links = await stack.db.selectFrom('thread_links').select(['provider_thread_id', 'rule_id']).where('account_id', '=', s.accountId).execute();
    expect(links).toEqual([{ provider_thread_id: a.threadId, rule_id: 'R5' }]);
  });

  it('R6: forwarding a message to an existing contact is treated as a sent email', async () => {
    const contact = uniqueAddress('fwd', 'client.test');
    const vendor = uniqueAddress('vendor', 'else.test');
    const s = await setup('r6', [{ id: 'c-fwd', email: contact }]);
    const original = await s.sandbox.deliver({ from: vendor, to: [s.owner], subject: 'Price list', text: 'Prices inside' });
    const fwd = await s.sandbox.sendAsOwner({ to: [contact], text: 'FYI', forwardOf: original.messageId });
    expect(await decisionsFor(stack, s.connectionId, fwd.messageId)).toMatchObject([{ ruleId: 'R6', reason: 'forwarded_to_contact', outcome: 'synced' }]);
    const messages = await conversationMessages(stack, s.locationId, 'c-fwd');
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ direction: 'outbound', source: 'mail_client', subject: 'Fwd: Price list' });
  });

  it('R21: a reply Gmail puts in a new thread (subject edited) still joins the conversation through In-Reply-To', async () => {
    const client = uniqueAddress('client21', 'client.test');
    const s = await setup('r21', [{ id: 'c-21', email: client, assignedUserId: null }]);
    const sent = await s.send({ contactId: 'c-21', subject: 'Invoice 42', text: 'Due Friday' });
    expect(sent.status).toBe(201);
    const reply = await s.sandbox.deliver({ from: client, to: [s.owner], subject: 'Paid (was: invoice)', text: 'Done', inReplyTo: sent.body.rfcMessageId, references: [sent.body.rfcMessageId] });
    expect(reply.threadId).not.toBe(sent.body.threadKey);
    const [decision] = await decisionsFor(stack, s.connectionId, reply.messageId);
    expect(decision).toMatchObject({ ruleId: 'R1', outcome: 'synced' });
    expect(decision!.notes).toEqual([expect.objectContaining({ ruleId: 'R21', reason: 'matched_by_references' })]);
    const messages = await conversationMessages(stack, s.locationId, 'c-21');
    expect(messages.map((m) => m.subject)).toEqual(['Invoice 42', 'Paid (was: invoice)']);
    await waitFor(async () => (await stack.db.selectFrom('thread_links').select('id').where('account_id', '=', s.accountId).execute()).length === 2);
  });
});
