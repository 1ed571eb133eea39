import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MailboxStatus } from '../../src/workflows/search-attributes';
import { stateQuery } from '../../src/workflows/definitions';
import { uniqueAddress } from '../helpers/addresses';
import { conversationMessages, decisionsFor } from '../helpers/crm-views';
import type { ContactSeed } from '../helpers/directory';
import { startGmailStack, type GmailStack } from '../helpers/gmail-stack';
import { connectInLocation, setupMailbox } from '../helpers/mailbox';
import { waitFor } from '../helpers/wait';

describe('Gmail lifecycle: update email, disconnect, BCC address, re-auth', () => {
  let stack: GmailStack;
  beforeAll(async () => {
    stack = await startGmailStack({ recordAs: 'gmail-lifecycle' });
  });
  afterAll(async () => {
    await stack.close();
  });

  const setup = (tag: string, contacts: ContactSeed[] = []) => setupMailbox(stack, 'gmail', contacts, { tag });

  it('R14: update email moves the connection to the new mailbox; old links stop, the old mailbox keeps syncing for its other connection', async () => {
    const client = uniqueAddress('client14', 'client.test');
    const s = await setup('r14', [{ id: 'c-1', email: client }]);
    const other = await connectInLocation(stack, s, { locationId: 'loc-r14-other', contacts: [{ id: 'c-o', email: client }] });
    expect(other.status).toBe(201);
    const before = await s.send({ contactId: 'c-1', subject: 'Old mailbox', text: 'x' });
    expect(before.status).toBe(201);

    const newOwner = uniqueAddress('owner-r14-new');
    const newBox = stack.sandboxMailbox(newOwner);
    const newGrant = await newBox.create();
    const moved = await stack.api('PUT', `/v1/connections/${s.connectionId}/credentials`, { refreshToken: newGrant.refreshToken });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ outcome: 'moved', connection: { id: s.connectionId, address: newOwner, status: 'active' } });
    const oldLink = await stack.db.selectFrom('thread_links').select(['state', 'reason']).where('account_id', '=', s.accountId).executeTakeFirstOrThrow();
    expect(oldLink).toEqual({ state: 'stopped', reason: 'account_updated' });

    const after = await s.send({ contactId: 'c-1', subject: 'New mailbox', text: 'y' });
    expect(after.status).toBe(201);
    expect(after.body.from).toBe(newOwner);
    expect(newBox.counters().sendsAccepted).toBe(1);
    expect(s.sandbox.counters().sendsAccepted).toBe(1);

    // The reply to the old thread reaches the old mailbox: it no longer syncs for the moved connection.
    const reply = await s.sandbox.deliver({ from: client, to: [s.owner], subject: 'Re: Old mailbox', text: 'late', inReplyTo: before.body.rfcMessageId, references: [before.body.rfcMessageId] });
    expect(await decisionsFor(stack, other.body.id, reply.messageId)).toMatchObject([{ outcome: expect.any(String) }]);
    const oldState = await stack.client.workflow.getHandle(`mailbox/gmail/${s.accountId}`).query(stateQuery);
    expect(oldState.bindings.map((b) => b.connectionId)).toEqual([other.body.id]);
    const forMoved = await stack.db.selectFrom('sync_decisions').selectAll().where('provider_message_id', '=', reply.messageId).where('connection_id', '=', s.connectionId).execute();
    expect(forMoved).toEqual([]);
  });

  it('R15: disconnect stops links and the watch, keeps messages, rejects sends; reconnecting does not backfill', async () => {
    const client = uniqueAddress('client15', 'client.test');
    const s = await setup('r15', [{ id: 'c-1', email: client }]);
    const m1 = await s.sandbox.deliver({ from: client, to: [s.owner], subject: 'Before', text: 'kept' });
    await decisionsFor(stack, s.connectionId, m1.messageId);
    expect(stack.sandbox.control.watchState(s.owner).active).toBe(true);

    expect((await stack.api('DELETE', `/v1/connections/${s.connectionId}`)).status).toBe(200);
    await stack.client.workflow.getHandle(`mailbox/gmail/${s.accountId}`).result();
    expect(stack.sandbox.control.watchState(s.owner).active).toBe(false);
    const link = await stack.db.selectFrom('thread_links').select(['state', 'reason']).where('account_id', '=', s.accountId).executeTakeFirstOrThrow();
    expect(link).toEqual({ state: 'stopped', reason: 'disconnected' });
    const rejected = await s.send({ contactId: 'c-1', subject: 'Nope', text: 'x' });
    expect(rejected.status).toBe(409);
    expect(rejected.body.error.code).toBe('MAILBOX_DISCONNECTED');

    const during = await s.sandbox.deliver({ from: client, to: [s.owner], subject: 'While away', text: 'missed' });
    const again = await stack.api('POST', '/v1/connections', { locationId: s.locationId, userId: s.userId, provider: 'gmail', refreshToken: s.refreshToken });
    expect(again.status).toBe(201);
    expect(again.body.id).not.toBe(s.connectionId);
    const m3 = await s.sandbox.deliver({ from: client, to: [s.owner], subject: 'After', text: 'new' });
    expect(await decisionsFor(stack, again.body.id, m3.messageId)).toMatchObject([{ outcome: 'synced' }]);
    expect(await decisionsFor(stack, again.body.id, during.messageId)).toMatchObject([{ ruleId: 'R13', reason: 'before_connect', outcome: 'skipped' }]);
    expect((await conversationMessages(stack, s.locationId, 'c-1')).map((m) => m.subject)).toEqual(['Before', 'After']);
  });

  it('R18: a mail-client send with the BCC address creates the contact, syncs, links, and enrols the contact', async () => {
    const s = await setup('r18');
    const bcc = (await stack.api('GET', `/v1/connections/${s.connectionId}`)).body.bccAddress as string;
    const prospect = uniqueAddress('prospect', 'lead.test');
    const sent = await s.sandbox.sendAsOwner({ to: [`Pat Prospect <${prospect}>`], bcc: [bcc], subject: 'Intro', text: 'Nice to meet you' });
    expect(await decisionsFor(stack, s.connectionId, sent.messageId)).toMatchObject([{ ruleId: 'R18', reason: 'bcc_address_copy', outcome: 'synced' }]);
    const contact = await stack.db.selectFrom('contacts').selectAll().where('location_id', '=', s.locationId).where('email', '=', prospect).executeTakeFirstOrThrow();
    expect(contact).toMatchObject({ assigned_user_id: s.userId, name: 'Pat Prospect' });
    expect(await stack.db.selectFrom('bcc_enrolments').select('contact_id').where('connection_id', '=', s.connectionId).execute()).toEqual([{ contact_id: contact.id }]);
    const inbound = await s.sandbox.deliver({ from: prospect, to: [s.owner], subject: 'Separate topic', text: 'hello again' });
    expect(await decisionsFor(stack, s.connectionId, inbound.messageId)).toMatchObject([{ outcome: 'synced' }]);
    expect((await conversationMessages(stack, s.locationId, contact.id)).map((m) => m.subject)).toEqual(['Intro', 'Separate topic']);
  });

  it('R19: a revoked grant pauses sync in needs_reauth; 30 messages arrive meanwhile; new credentials store all 30, in order, once', async () => {
    const client = uniqueAddress('client19', 'client.test');
    const s = await setup('r19', [{ id: 'c-1', email: client }]);
    s.sandbox.revoke();
    stack.sandbox.control.expireAccessTokens(s.owner);
    const first = await s.sandbox.deliver({ from: client, to: [s.owner], subject: 'm00', text: '0' });
    const handle = stack.client.workflow.getHandle(`mailbox/gmail/${s.accountId}`);
    // The workflow's state, then Postgres (the CRM's view) and the search attribute follow.
    await waitFor(async () => (await handle.query(stateQuery)).status === 'needs_reauth');
    const view = await waitFor(async () => {
      const res = await stack.api('GET', `/v1/connections/${s.connectionId}`);
      return res.body.status === 'needs_reauth' ? res.body : null;
    });
    expect(view).toMatchObject({ status: 'needs_reauth', sync: { status: 'needs_reauth', lastError: { kind: 'auth_revoked' } } });
    await waitFor(async () => (await handle.describe()).typedSearchAttributes.get(MailboxStatus) === 'needs_reauth');
    const events = await stack.api('GET', '/v1/events?type=connection.needs_reauth');
    expect(events.body.events.map((e: any) => e.connectionId)).toContain(s.connectionId);
    const rejected = await s.send({ contactId: 'c-1', subject: 'x', text: 'x' });
    expect(rejected.status).toBe(409);
    expect(rejected.body.error.code).toBe('REAUTH_REQUIRED');

    const ids = [first.messageId];
    for (let i = 1; i < 30; i++) ids.push((await s.sandbox.deliver({ from: client, to: [s.owner], subject: `m${String(i).padStart(2, '0')}`, text: String(i) })).messageId);
    const renewed = await stack.api('PUT', `/v1/connections/${s.connectionId}/credentials`, { refreshToken: (await s.sandbox.grant()).refreshToken });
    expect(renewed.status).toBe(200);
    expect(renewed.body.outcome).toBe('reauthorized');
    for (const id of ids) expect(await decisionsFor(stack, s.connectionId, id)).toMatchObject([{ outcome: 'synced' }]);
    const messages = await conversationMessages(stack, s.locationId, 'c-1');
    expect(messages.map((m) => m.subject)).toEqual(Array.from({ length: 30 }, (_, i) => `m${String(i).padStart(2, '0')}`));
    expect((await handle.query(stateQuery)).status).toBe('active');
    expect((await stack.api('GET', `/v1/connections/${s.connectionId}`)).body.status).toBe('active');
  });
});
