import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueAddress } from '../helpers/addresses';
import { conversationMessages, decisionsFor } from '../helpers/crm-views';
import { seedDirectory } from '../helpers/directory';
import { startGmailStack, type GmailStack } from '../helpers/gmail-stack';
import { setupMailbox, waitForBaseline } from '../helpers/mailbox';

/** The CRM's directory changes after mail arrived: decisions are made once, at arrival, by the directory then. */
describe('Gmail: contacts and users that change', () => {
  let stack: GmailStack;
  beforeAll(async () => {
    stack = await startGmailStack();
  });
  afterAll(async () => {
    await stack.close();
  });

  const putContact = (locationId: string, id: string, email: string, assignedUserId: string | null) =>
    stack.api('PUT', `/v1/locations/${locationId}/contacts/${id}`, { email, name: `Contact ${id}`, assignedUserId });

  it('R2: a contact created or assigned after a message arrived does not pull it in; its decision says why; later mail syncs', async () => {
    const s = await setupMailbox(stack, 'gmail', [], { tag: 'late-contact' });
    const stranger = uniqueAddress('stranger', 'client.test');
    const early = await s.sandbox.deliver({ from: stranger, to: [s.owner], subject: 'Before the contact', text: 'hi' });
    expect(await decisionsFor(stack, s.connectionId, early.messageId)).toMatchObject([{ ruleId: 'R2', reason: 'unknown_sender', outcome: 'skipped' }]);

    expect((await putContact(s.locationId, 'c-late', stranger, null)).status).toBeLessThan(300);
    const unassigned = await s.sandbox.deliver({ from: stranger, to: [s.owner], subject: 'Before the assignment', text: 'hi' });
    expect(await decisionsFor(stack, s.connectionId, unassigned.messageId)).toMatchObject([{ ruleId: 'R2', reason: 'contact_not_assigned', outcome: 'skipped' }]);

    expect((await putContact(s.locationId, 'c-late', stranger, s.userId)).status).toBeLessThan(300);
    const after = await s.sandbox.deliver({ from: stranger, to: [s.owner], subject: 'After the assignment', text: 'hi' });
    expect(await decisionsFor(stack, s.connectionId, after.messageId)).toMatchObject([{ ruleId: 'R2', reason: 'assigned_contact', outcome: 'synced' }]);
    expect(await decisionsFor(stack, s.connectionId, early.messageId)).toMatchObject([{ reason: 'unknown_sender' }]);
    expect(await decisionsFor(stack, s.connectionId, unassigned.messageId)).toMatchObject([{ reason: 'contact_not_assigned' }]);
    expect((await conversationMessages(stack, s.locationId, 'c-late')).map((m: { subject: string }) => m.subject)).toEqual(['After the assignment']);
  });

  it('R2: a contact reassigned to another user of the location sends later mail to that user’s connection', async () => {
    const a = await setupMailbox(stack, 'gmail', { tag: 'reassign' });
    const contact = a.client;
    // A second user of the same location, with a mailbox of their own.
    const bOwner = uniqueAddress('owner-reassign-b');
    await seedDirectory(stack, { locationId: a.locationId, userId: 'user-reassign-b', userEmail: bOwner });
    const bMailbox = stack.sandboxMailbox(bOwner);
    const { refreshToken } = await bMailbox.create();
    const bConn = await stack.api('POST', '/v1/connections', { locationId: a.locationId, userId: 'user-reassign-b', provider: 'gmail', refreshToken });
    expect(bConn.status).toBe(201);
    await waitForBaseline(stack, bConn.body.accountId);

    const first = await stack.sandbox.control.deliver([a.owner, bOwner], { from: contact, to: [a.owner, bOwner], subject: 'To both, assigned to A', text: '1' });
    const firstAtB = stack.sandbox.control.listMessages(bOwner).find((m) => m.subject === 'To both, assigned to A')!;
    expect(await decisionsFor(stack, a.connectionId, first.messageId)).toMatchObject([{ ruleId: 'R2', reason: 'assigned_contact', outcome: 'synced' }]);
    expect(await decisionsFor(stack, bConn.body.id, firstAtB.id)).toMatchObject([{ ruleId: 'R2', reason: 'contact_not_assigned', outcome: 'skipped' }]);

    expect((await putContact(a.locationId, 'c-1', contact, 'user-reassign-b')).status).toBeLessThan(300);
    const second = await stack.sandbox.control.deliver([a.owner, bOwner], { from: contact, to: [a.owner, bOwner], subject: 'To both, assigned to B', text: '2' });
    const secondAtB = stack.sandbox.control.listMessages(bOwner).find((m) => m.subject === 'To both, assigned to B')!;
    expect(await decisionsFor(stack, a.connectionId, second.messageId)).toMatchObject([{ ruleId: 'R2', reason: 'contact_not_assigned', outcome: 'skipped' }]);
    expect(await decisionsFor(stack, bConn.body.id, secondAtB.id)).toMatchObject([{ ruleId: 'R2', reason: 'assigned_contact', outcome: 'synced' }]);
    // One conversation per (location, contact): the first message came through A, the second through B.
    const messages = await conversationMessages(stack, a.locationId, 'c-1');
    expect(messages.map((m: { subject: string; providerMessageId: string }) => [m.subject, m.providerMessageId])).toEqual([
      ['To both, assigned to A', first.messageId],
      ['To both, assigned to B', secondAtB.id],
    ]);
  });
});

describe('Gmail: a user removed from a location', () => {
  let stack: GmailStack;
  beforeAll(async () => {
    stack = await startGmailStack();
  });
  afterAll(async () => {
    await stack.close();
  });

  it('R15: removing the user from the location ends their connection there and stops its links (link_stopped); back again, the old thread stays stopped', async () => {
    const s = await setupMailbox(stack, 'gmail', { tag: 'leaves' });
    const sent = await s.send({ contactId: 'c-1', subject: 'Quote', text: 'here' });
    expect(sent.status).toBe(201);
    const other = `loc-leaves-other`;
    expect((await stack.api('PUT', `/v1/locations/${other}`, { name: 'Other' })).status).toBe(200);

    const moved = await stack.api('PUT', `/v1/users/${s.userId}`, { email: s.owner, name: 'Ana', locationIds: [other] });
    expect(moved.status).toBe(200);
    const gone = await stack.api('GET', `/v1/connections/${s.connectionId}`);
    expect(gone.body.status).toBe('disconnected');
    const links = await stack.db.selectFrom('thread_links').select(['state', 'reason']).where('connection_id', '=', s.connectionId).execute();
    expect(links).toEqual([{ state: 'stopped', reason: 'user_left_location' }]);
    expect(await stack.api('POST', `/v1/connections/${s.connectionId}/messages`, { contactId: 'c-1', subject: 'x', text: 'y' })).toMatchObject({ status: 409, body: { error: { code: 'MAILBOX_DISCONNECTED' } } });

    // Back in the location, connected again: the old thread does not resume.
    expect((await stack.api('PUT', `/v1/users/${s.userId}`, { email: s.owner, name: 'Ana', locationIds: [other, s.locationId] })).status).toBe(200);
    const again = await stack.api('POST', '/v1/connections', { locationId: s.locationId, userId: s.userId, provider: 'gmail', refreshToken: s.refreshToken });
    expect(again.status).toBe(201);
    await waitForBaseline(stack, again.body.accountId);
    const reply = await s.sandbox.deliver({ from: s.client, to: [s.owner], subject: 'Re: Quote', text: 'ok', inReplyTo: sent.body.rfcMessageId, references: [sent.body.rfcMessageId] });
    expect(await decisionsFor(stack, again.body.id, reply.messageId)).toMatchObject([{ ruleId: 'R15', reason: 'link_stopped', outcome: 'skipped' }]);
    expect((await conversationMessages(stack, s.locationId, 'c-1')).map((m: { subject: string }) => m.subject)).toEqual(['Quote']);
  });
});
