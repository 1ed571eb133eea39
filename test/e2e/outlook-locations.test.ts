import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conversationMessages, decisionsFor, seedDirectory, uniqueAddress } from '../helpers/gmail-stack';
import { connectOutlook, startOutlookStack, type OutlookStack } from '../helpers/outlook-stack';

describe('Outlook: several locations and update email', () => {
  let stack: OutlookStack;
  beforeAll(async () => {
    stack = await startOutlookStack({ recordAs: 'outlook-locations' });
  });
  afterAll(async () => {
    await stack.close();
  });

  it('R11: a CRM send in one location links and records the thread only there; its replies stay there', async () => {
    const owner = uniqueAddress('owner-o11', 'outlook.test');
    const client = uniqueAddress('client-o11', 'client.test');
    for (const loc of ['loc-o11-a', 'loc-o11-b']) await seedDirectory(stack, { locationId: loc, userId: 'user-o11', userEmail: owner, contacts: [{ id: 'c-1', email: client }] });
    const grant = await stack.graph.control.createAccount(owner);
    const a = await connectOutlook(stack, { locationId: 'loc-o11-a', userId: 'user-o11', address: owner, grant });
    const b = await stack.api('POST', '/v1/connections', { locationId: 'loc-o11-b', userId: 'user-o11', provider: 'outlook', refreshToken: grant.refreshToken });
    expect(b.status).toBe(201);
    expect(b.body.accountId).toBe(a.accountId);
    const sent = await stack.api('POST', `/v1/connections/${a.connectionId}/messages`, { contactId: 'c-1', subject: 'Only A', text: 'x' });
    const reply = await stack.graph.control.deliver(owner, { from: client, to: [owner], subject: 'RE: Only A', text: 'y', inReplyTo: sent.body.rfcMessageId, references: [sent.body.rfcMessageId] });
    expect(await decisionsFor(stack, a.connectionId, reply.immutableId)).toMatchObject([{ ruleId: 'R1', outcome: 'synced' }]);
    expect(await decisionsFor(stack, b.body.id, reply.immutableId)).toMatchObject([{ ruleId: 'R11', reason: 'thread_owned_by_other_location', outcome: 'skipped' }]);
    expect(await conversationMessages(stack, 'loc-o11-a', 'c-1')).toHaveLength(2);
    expect(await conversationMessages(stack, 'loc-o11-b', 'c-1')).toEqual([]);
  });

  it('R14: update email moves the connection to another Outlook mailbox; old links stop and the old mailbox’s subscription goes', async () => {
    const owner = uniqueAddress('owner-o14', 'outlook.test');
    const client = uniqueAddress('client-o14', 'client.test');
    await seedDirectory(stack, { locationId: 'loc-o14', userId: 'user-o14', userEmail: owner, contacts: [{ id: 'c-1', email: client }] });
    const s = await connectOutlook(stack, { locationId: 'loc-o14', userId: 'user-o14', address: owner });
    const before = await stack.api('POST', `/v1/connections/${s.connectionId}/messages`, { contactId: 'c-1', subject: 'Old box', text: 'x' });
    expect(before.status).toBe(201);
    const newOwner = uniqueAddress('owner-o14-new', 'outlook.test');
    const grant = await stack.graph.control.createAccount(newOwner);
    const moved = await stack.api('PUT', `/v1/connections/${s.connectionId}/credentials`, { refreshToken: grant.refreshToken });
    expect(moved.body).toMatchObject({ outcome: 'moved', connection: { address: newOwner } });
    await stack.client.workflow.getHandle(`mailbox/outlook/${s.accountId}`).result();
    expect(await stack.graph.control.subscriptions(owner)).toEqual([]);
    const link = await stack.db.selectFrom('thread_links').select(['state', 'reason']).where('account_id', '=', s.accountId).executeTakeFirstOrThrow();
    expect(link).toEqual({ state: 'stopped', reason: 'account_updated' });
    const after = await stack.api('POST', `/v1/connections/${s.connectionId}/messages`, { contactId: 'c-1', subject: 'New box', text: 'y' });
    expect(after.body).toMatchObject({ sendStatus: 'sent', from: newOwner });
    expect((await stack.graph.control.listMessages(newOwner, { folder: 'sentitems' })).map((m: any) => m.subject)).toEqual(['New box']);
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

  async function setup(tag: string, contacts: { id: string; email: string; createdAt?: string }[]) {
    const owner = uniqueAddress(`owner-${tag}`, 'outlook.test');
    await seedDirectory(stack, { locationId: `loc-${tag}`, userId: `user-${tag}`, userEmail: owner, contacts });
    return { owner, locationId: `loc-${tag}`, ...(await connectOutlook(stack, { locationId: `loc-${tag}`, userId: `user-${tag}`, address: owner })) };
  }

  it('R7: later messages of a linked thread follow the link, not the recipients’ order', async () => {
    const first = uniqueAddress('first', 'client.test');
    const second = uniqueAddress('second', 'client.test');
    const s = await setup('o7', [{ id: 'c-first', email: first }, { id: 'c-second', email: second }]);
    const sent = await stack.api('POST', `/v1/connections/${s.connectionId}/messages`, { contactId: 'c-first', to: [first, second], subject: 'Both of you', text: 'x' });
    const reply = await stack.graph.control.deliver(s.owner, { from: second, to: [s.owner, first], subject: 'RE: Both of you', text: 'from second', inReplyTo: sent.body.rfcMessageId, references: [sent.body.rfcMessageId] });
    expect(await decisionsFor(stack, s.connectionId, reply.immutableId)).toMatchObject([{ ruleId: 'R1', outcome: 'synced' }]);
    expect((await conversationMessages(stack, s.locationId, 'c-first')).map((m) => m.text.trim())).toEqual(['x', 'from second']);
    expect(await conversationMessages(stack, s.locationId, 'c-second')).toEqual([]);
  });

  it('R8: inside a linked thread, a contact’s message with the user only in Cc syncs under the link; Cc never owns', async () => {
    const client = uniqueAddress('client-o8', 'client.test');
    const other = uniqueAddress('other-o8', 'client.test');
    const s = await setup('o8', [{ id: 'c-1', email: client }, { id: 'c-other', email: other }]);
    const sent = await stack.api('POST', `/v1/connections/${s.connectionId}/messages`, { contactId: 'c-1', subject: 'Plan', text: 'x' });
    const cc = await stack.graph.control.deliver(s.owner, { from: client, to: [other], cc: [s.owner], subject: 'RE: Plan', text: 'looping you in', inReplyTo: sent.body.rfcMessageId, references: [sent.body.rfcMessageId] });
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
    const sent = await stack.graph.control.sendAsOwner(s.owner, { to: [shared], bcc: [bcc], subject: 'Which contact?', text: 'x' });
    expect(await decisionsFor(stack, s.connectionId, sent.immutableId)).toMatchObject([{ ruleId: 'R18', outcome: 'synced' }]);
    expect(await conversationMessages(stack, s.locationId, 'c-early')).toHaveLength(1);
    expect(await conversationMessages(stack, s.locationId, 'c-late')).toEqual([]);
  });

  it('R13: a message received before connect never syncs, even when it reaches a linked thread’s folder later', async () => {
    const client = uniqueAddress('client-o13', 'client.test');
    const owner = uniqueAddress('owner-o13', 'outlook.test');
    await seedDirectory(stack, { locationId: 'loc-o13', userId: 'user-o13', userEmail: owner, contacts: [{ id: 'c-1', email: client }] });
    const grant = await stack.graph.control.createAccount(owner);
    const old = await stack.graph.control.deliver(owner, { from: client, to: [owner], subject: 'Old', text: 'before', receivedDateTime: new Date(Date.now() - 86_400_000).toISOString() });
    const s = await connectOutlook(stack, { locationId: 'loc-o13', userId: 'user-o13', address: owner, grant });
    const sent = await stack.api('POST', `/v1/connections/${s.connectionId}/messages`, { contactId: 'c-1', subject: 'New', text: 'after' });
    const reply = await stack.graph.control.deliver(owner, { from: client, to: [owner], subject: 'RE: New', text: 'reply', inReplyTo: sent.body.rfcMessageId, references: [sent.body.rfcMessageId, old.internetMessageId] });
    expect(await decisionsFor(stack, s.connectionId, reply.immutableId)).toMatchObject([{ outcome: 'synced' }]);
    expect((await stack.db.selectFrom('sync_decisions').select('id').where('provider_message_id', '=', old.immutableId).execute())).toEqual([]);
    expect((await conversationMessages(stack, 'loc-o13', 'c-1')).map((m) => m.text.trim())).toEqual(['after', 'reply']);
  });

  it('R22: a retried CRM send (same Idempotency-Key) reaches Outlook once, and its Sent copy is matched, not stored again', async () => {
    const client = uniqueAddress('client-o22', 'client.test');
    const s = await setup('o22', [{ id: 'c-1', email: client }]);
    const body = { contactId: 'c-1', subject: 'Once only', text: 'x' };
    const first = await stack.api('POST', `/v1/connections/${s.connectionId}/messages`, body, { 'idempotency-key': 'o22' });
    const again = await stack.api('POST', `/v1/connections/${s.connectionId}/messages`, body, { 'idempotency-key': 'o22' });
    expect([first.status, again.status]).toEqual([201, 200]);
    expect(again.body.id).toBe(first.body.id);
    expect((await stack.graph.control.counters(s.owner)).sendsAccepted).toBe(1);
    expect(await decisionsFor(stack, s.connectionId, first.body.providerMessageId)).toMatchObject([{ ruleId: 'R22', reason: 'crm_record_matched', outcome: 'matched' }]);
    expect(await conversationMessages(stack, s.locationId, 'c-1')).toHaveLength(1);
  });
});
