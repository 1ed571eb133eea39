import { connectSandboxAccount } from '@mailsync/provider-sandbox/microsoft';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueAddress } from '../helpers/addresses';
import { conversationMessages, decisionsFor } from '../helpers/crm-views';
import type { ContactSeed } from '../helpers/directory';
import { connectInLocation, prepareMailbox, setupMailbox } from '../helpers/mailbox';
import { startOutlookStack, type OutlookStack } from '../helpers/outlook-stack';

describe('Outlook: several locations and update email', () => {
  let stack: OutlookStack;
  beforeAll(async () => {
    stack = await startOutlookStack({ recordAs: 'outlook-locations' });
  });
  afterAll(async () => {
    await stack.close();
  });

  it('R11: a CRM send in one location links and records the thread only there; its replies stay there', async () => {
    const a = await setupMailbox(stack, 'outlook', { tag: 'o11-a' });
    const { owner, client } = a;
    const b = await connectInLocation(stack, a, { locationId: 'loc-o11-b', contacts: [{ id: 'c-1', email: client }] });
    expect(b.status).toBe(201);
    expect(b.body.accountId).toBe(a.accountId);
    const sent = await a.send({ contactId: 'c-1', subject: 'Only A', text: 'x' });
    const reply = await a.sandbox.deliver({ from: client, to: [owner], subject: 'RE: Only A', text: 'y', inReplyTo: sent.body.rfcMessageId, references: [sent.body.rfcMessageId] });
    expect(await decisionsFor(stack, a.connectionId, reply.immutableId)).toMatchObject([{ ruleId: 'R1', outcome: 'synced' }]);
    expect(await decisionsFor(stack, b.body.id, reply.immutableId)).toMatchObject([{ ruleId: 'R11', reason: 'thread_owned_by_other_location', outcome: 'skipped' }]);
    expect(await conversationMessages(stack, a.locationId, 'c-1')).toHaveLength(2);
    expect(await conversationMessages(stack, 'loc-o11-b', 'c-1')).toEqual([]);
  });

  it('R14: update email moves the connection to another Outlook mailbox; old links stop and the old mailbox’s subscription goes', async () => {
    const s = await setupMailbox(stack, 'outlook', { tag: 'o14' });
    const before = await s.send({ contactId: 'c-1', subject: 'Old box', text: 'x' });
    expect(before.status).toBe(201);
    const newOwner = uniqueAddress('owner-o14-new', 'outlook.test');
    const newBox = stack.sandboxMailbox(newOwner);
    const grant = await newBox.create();
    const moved = await stack.api('PUT', `/v1/connections/${s.connectionId}/credentials`, { refreshToken: grant.refreshToken });
    expect(moved.body).toMatchObject({ outcome: 'moved', connection: { address: newOwner } });
    await stack.client.workflow.getHandle(`mailbox/outlook/${s.accountId}`).result();
    expect(await stack.graph.control.subscriptions(s.owner)).toEqual([]);
    const link = await stack.db.selectFrom('thread_links').select(['state', 'reason']).where('account_id', '=', s.accountId).executeTakeFirstOrThrow();
    expect(link).toEqual({ state: 'stopped', reason: 'account_updated' });
    const after = await s.send({ contactId: 'c-1', subject: 'New box', text: 'y' });
    expect(after.body).toMatchObject({ sendStatus: 'sent', from: newOwner });
    expect((await newBox.sent()).map((m: any) => m.subject)).toEqual(['New box']);
  });
});

describe('Outlook: ownership and exactly once', () => {
  let stack: OutlookStack;
  beforeAll(async () => {
    stack = await startOutlookStack({ recordAs: 'outlook-ownership' });
  });
  afterAll(async () => {
    await stack.close();
  });

  const setup = (tag: string, contacts: ContactSeed[]) => setupMailbox(stack, 'outlook', contacts, { tag });

  it('R7: later messages of a linked thread follow the link, not the recipients’ order', async () => {
    const first = uniqueAddress('first', 'client.test');
    const second = uniqueAddress('second', 'client.test');
    const s = await setup('o7', [{ id: 'c-first', email: first }, { id: 'c-second', email: second }]);
    const sent = await s.send({ contactId: 'c-first', to: [first, second], subject: 'Both of you', text: 'x' });
    const reply = await s.sandbox.deliver({ from: second, to: [s.owner, first], subject: 'RE: Both of you', text: 'from second', inReplyTo: sent.body.rfcMessageId, references: [sent.body.rfcMessageId] });
    expect(await decisionsFor(stack, s.connectionId, reply.immutableId)).toMatchObject([{ ruleId: 'R1', outcome: 'synced' }]);
    expect((await conversationMessages(stack, s.locationId, 'c-first')).map((m) => m.text.trim())).toEqual(['x', 'from second']);
    expect(await conversationMessages(stack, s.locationId, 'c-second')).toEqual([]);
  });

  it('R8: inside a linked thread, a contact’s message with the user only in Cc syncs under the link; Cc never owns', async () => {
    const client = uniqueAddress('client-o8', 'client.test');
    const other = uniqueAddress('other-o8', 'client.test');
    const s = await setup('o8', [{ id: 'c-1', email: client }, { id: 'c-other', email: other }]);
    const sent = await s.send({ contactId: 'c-1', subject: 'Plan', text: 'x' });
    const cc = await s.sandbox.deliver({ from: client, to: [other], cc: [s.owner], subject: 'RE: Plan', text: 'looping you in', inReplyTo: sent.body.rfcMessageId, references: [sent.body.rfcMessageId] });
    expect(await decisionsFor(stack, s.connectionId, cc.immutableId)).toMatchObject([{ ruleId: 'R1', outcome: 'synced' }]);
    const messages = await conversationMessages(stack, s.locationId, 'c-1');
    expect(messages.map((m) => [m.text.trim(), m.to, m.cc])).toEqual([['x', [client], []], ['looping you in', [other], [s.owner]]]);
    expect(await conversationMessages(stack, s.locationId, 'c-other')).toEqual([]);
  });

  it('R9: a BCC-address send to an address two contacts share is filed under the earliest created one', async () => {
    const shared = uniqueAddress('shared', 'client.test');
    const s = await setup('o9', [
      { id: 'c-late', email: shared, createdAt: '2026-05-01T00:00:00.000Z' },
      { id: 'c-early', email: shared, createdAt: '2026-02-01T00:00:00.000Z' },
    ]);
    const bcc = (await stack.api('GET', `/v1/connections/${s.connectionId}`)).body.bccAddress as string;
    const sent = await s.sandbox.sendAsOwner({ to: [shared], bcc: [bcc], subject: 'Which contact?', text: 'x' });
    expect(await decisionsFor(stack, s.connectionId, sent.immutableId)).toMatchObject([{ ruleId: 'R18', outcome: 'synced' }]);
    expect(await conversationMessages(stack, s.locationId, 'c-early')).toHaveLength(1);
    expect(await conversationMessages(stack, s.locationId, 'c-late')).toEqual([]);
  });

  it('R13: a message received before connect never syncs, even when it is moved into a new folder and back into the Inbox later', async () => {
    const box = await prepareMailbox(stack, 'outlook', { tag: 'o13' });
    const { owner, client } = box;
    const old = await box.sandbox.deliver({ from: client, to: [owner], subject: 'Old', text: 'before', receivedDateTime: new Date(Date.now() - 86_400_000).toISOString() });
    const outlook = await connectSandboxAccount(stack.graph, owner);
    const moveTo = (destinationId: string) => outlook.client.api(`/me/messages/${old.immutableId}/move`).header('Prefer', 'IdType="ImmutableId"').post({ destinationId });
    await moveTo('archive');
    const s = await box.connect();
    const kept = String((await outlook.client.api('/me/mailFolders').post({ displayName: 'Kept' })).id);
    await moveTo(kept);
    expect((await moveTo('inbox')).id).toBe(old.immutableId);
    const sent = await s.send({ contactId: 'c-1', subject: 'New', text: 'after' });
    const reply = await s.sandbox.deliver({ from: client, to: [owner], subject: 'RE: New', text: 'reply', inReplyTo: sent.body.rfcMessageId, references: [sent.body.rfcMessageId, old.internetMessageId] });
    expect(await decisionsFor(stack, s.connectionId, reply.immutableId)).toMatchObject([{ outcome: 'synced' }]);
    expect((await stack.db.selectFrom('sync_decisions').select('id').where('provider_message_id', '=', old.immutableId).execute())).toEqual([]);
    expect((await conversationMessages(stack, s.locationId, 'c-1')).map((m) => m.text.trim())).toEqual(['after', 'reply']);
  });

  it('R22: a retried CRM send (same Idempotency-Key) reaches Outlook once, and its Sent copy is matched, not stored again', async () => {
    const client = uniqueAddress('client-o22', 'client.test');
    const s = await setup('o22', [{ id: 'c-1', email: client }]);
    const body = { contactId: 'c-1', subject: 'Once only', text: 'x' };
    const first = await s.send(body, 'o22');
    const again = await s.send(body, 'o22');
    expect([first.status, again.status]).toEqual([201, 201]);
    expect(again.body.id).toBe(first.body.id);
    expect((await s.sandbox.counters()).sendsAccepted).toBe(1);
    expect(await decisionsFor(stack, s.connectionId, first.body.providerMessageId)).toMatchObject([{ ruleId: 'R22', reason: 'crm_record_matched', outcome: 'matched' }]);
    expect(await conversationMessages(stack, s.locationId, 'c-1')).toHaveLength(1);
  });
});
