import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueAddress } from '../helpers/addresses';
import { conversationMessages, decisionsFor } from '../helpers/crm-views';
import { startGmailStack, type GmailStack } from '../helpers/gmail-stack';
import { connectInLocation, prepareMailbox } from '../helpers/mailbox';

/** One Gmail account connected by the same user in several locations (R10, R11, R12). */
describe('Gmail in several locations', () => {
  let stack: GmailStack;
  beforeAll(async () => {
    stack = await startGmailStack({ recordAs: 'gmail-locations' });
  });
  afterAll(async () => {
    await stack.close();
  });

  /** The mailbox connected in locations a, b and c at once (the first sync not awaited); the contact is assigned to the user in a and b only. */
  async function setup(tag: string) {
    const client = uniqueAddress(`client-${tag}`, 'client.test');
    const inA = await (await prepareMailbox(stack, 'gmail', [{ id: 'c-a', email: client }], { tag: `${tag}-a` })).connect({ waitForBaseline: false });
    const [a, b, c] = [inA.locationId, `loc-${tag}-b`, `loc-${tag}-c`];
    const conns: Record<string, string> = { [a]: inA.connectionId };
    for (const [loc, contact] of [[b, { id: 'c-b', email: client }], [c, { id: 'c-c', email: client, assignedUserId: null }]] as const) {
      const res = await connectInLocation(stack, inA, { locationId: loc, contacts: [contact] });
      expect(res.status).toBe(201);
      conns[loc] = res.body.id;
    }
    const accounts = await stack.db.selectFrom('connections').select('account_id').distinct().where('id', 'in', Object.values(conns)).execute();
    expect(accounts).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 500));
    return { ...inA, a, b, c, conns, accountId: accounts[0]!.account_id };
  }

  it('R10: an inbound message syncs once into every location where the contact is assigned to the user', async () => {
    const s = await setup('r10');
    const m = await s.sandbox.deliver({ from: s.client, to: [s.owner], subject: 'Hello all', text: 'hi' });
    expect(await decisionsFor(stack, s.conns[s.a]!, m.messageId)).toMatchObject([{ ruleId: 'R2', outcome: 'synced' }]);
    expect(await decisionsFor(stack, s.conns[s.b]!, m.messageId)).toMatchObject([{ ruleId: 'R2', outcome: 'synced' }]);
    expect(await decisionsFor(stack, s.conns[s.c]!, m.messageId)).toMatchObject([{ ruleId: 'R2', reason: 'contact_not_assigned', outcome: 'skipped' }]);
    expect(await conversationMessages(stack, s.a, 'c-a')).toHaveLength(1);
    expect(await conversationMessages(stack, s.b, 'c-b')).toHaveLength(1);
    expect(await conversationMessages(stack, s.c, 'c-c')).toEqual([]);
    const stored = await stack.db.selectFrom('messages').select('location_id').where('provider_message_id', '=', m.messageId).execute();
    expect(stored.map((r) => r.location_id).sort()).toEqual([s.a, s.b]);
  });

  it('R11: a CRM send in one location is recorded and linked only there, and its replies stay there', async () => {
    const s = await setup('r11');
    const sent = await stack.api('POST', `/v1/connections/${s.conns[s.a]}/messages`, { contactId: 'c-a', subject: 'From A', text: 'only A' });
    expect(sent.status).toBe(201);
    const reply = await s.sandbox.deliver({ from: s.client, to: [s.owner], subject: 'Re: From A', text: 'ok', inReplyTo: sent.body.rfcMessageId, references: [sent.body.rfcMessageId] });
    expect(await decisionsFor(stack, s.conns[s.a]!, reply.messageId)).toMatchObject([{ ruleId: 'R1', outcome: 'synced' }]);
    expect(await decisionsFor(stack, s.conns[s.b]!, reply.messageId)).toMatchObject([{ ruleId: 'R11', reason: 'thread_owned_by_other_location', outcome: 'skipped' }]);
    expect((await conversationMessages(stack, s.a, 'c-a')).map((m) => m.subject)).toEqual(['From A', 'Re: From A']);
    expect(await conversationMessages(stack, s.b, 'c-b')).toEqual([]);
    const links = await stack.db.selectFrom('thread_links').select(['location_id', 'state']).where('account_id', '=', s.accountId).execute();
    expect(links).toEqual([{ location_id: s.a, state: 'active' }]);
  });

  it('R12: a CRM reply in one location breaks the thread’s links elsewhere; later messages sync only there', async () => {
    const s = await setup('r12');
    const first = await s.sandbox.deliver({ from: s.client, to: [s.owner], subject: 'Shared', text: 'to both' });
    await decisionsFor(stack, s.conns[s.b]!, first.messageId);
    const inA = (await conversationMessages(stack, s.a, 'c-a'))[0];
    const reply = await stack.api('POST', `/v1/connections/${s.conns[s.a]}/messages`, { contactId: 'c-a', text: 'answered from A', replyToMessageId: inA.id });
    expect(reply.status).toBe(201);
    expect(reply.body.threadKey).toBe(first.threadId);
    const links = await stack.db.selectFrom('thread_links').select(['location_id', 'state', 'reason']).where('account_id', '=', s.accountId).orderBy('location_id').execute();
    expect(links).toEqual([
      { location_id: s.a, state: 'active', reason: null },
      { location_id: s.b, state: 'broken', reason: 'replied_in_other_location' },
    ]);
    const next = await s.sandbox.deliver({ from: s.client, to: [s.owner], subject: 'Re: Shared', text: 'thanks A', inReplyTo: reply.body.rfcMessageId, references: [first.rfcMessageId, reply.body.rfcMessageId] });
    expect(await decisionsFor(stack, s.conns[s.a]!, next.messageId)).toMatchObject([{ ruleId: 'R1', outcome: 'synced' }]);
    expect(await decisionsFor(stack, s.conns[s.b]!, next.messageId)).toMatchObject([{ ruleId: 'R12', reason: 'replied_in_other_location', outcome: 'skipped' }]);
    expect((await conversationMessages(stack, s.a, 'c-a')).map((m) => m.text?.trim())).toEqual(['to both', 'answered from A', 'thanks A']);
    expect((await conversationMessages(stack, s.b, 'c-b')).map((m) => m.text?.trim())).toEqual(['to both']);
  });
});
