import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueAddress } from '../helpers/addresses';
import { conversationMessages, decisionsFor } from '../helpers/crm-views';
import type { ContactSeed } from '../helpers/directory';
import { setupMailbox } from '../helpers/mailbox';
import { startOutlookStack, type OutlookStack } from '../helpers/outlook-stack';
import { waitFor } from '../helpers/wait';

describe('Outlook two-way sync through Graph and MSAL', () => {
  let stack: OutlookStack;
  beforeAll(async () => {
    stack = await startOutlookStack({ recordAs: 'outlook-sync' });
  });
  afterAll(async () => {
    await stack.close();
  });

  const setup = (tag: string, contacts: ContactSeed[]) => setupMailbox(stack, 'outlook', contacts, { tag: `o-${tag}` });

  it('R1: a CRM send goes out through Outlook, and the reply syncs into the same conversation', async () => {
    const client = uniqueAddress('client', 'client.test');
    const s = await setup('r1', [{ id: 'c-1', email: client }]);
    const sent = await s.send({ contactId: 'c-1', subject: 'Proposal', text: 'Please review.' });
    expect(sent.status).toBe(201);
    expect(sent.body).toMatchObject({ sendStatus: 'sent', from: s.owner, to: [client] });
    const inSent = await s.sandbox.sent();
    expect(inSent).toHaveLength(1);
    expect(inSent[0]).toMatchObject({ internetMessageId: sent.body.rfcMessageId });
    const reply = await s.sandbox.deliver({ from: client, to: [s.owner], subject: 'RE: Proposal', text: 'Approved', inReplyTo: sent.body.rfcMessageId, references: [sent.body.rfcMessageId] });
    expect(reply.conversationId).toBe(sent.body.threadKey);
    expect(await decisionsFor(stack, s.connectionId, reply.immutableId)).toMatchObject([{ ruleId: 'R1', reason: 'linked_thread', outcome: 'synced' }]);
    expect(await decisionsFor(stack, s.connectionId, sent.body.providerMessageId)).toMatchObject([{ ruleId: 'R22', outcome: 'matched' }]);
    expect((await conversationMessages(stack, s.locationId, 'c-1')).map((m) => [m.direction, m.subject])).toEqual([
      ['outbound', 'Proposal'],
      ['inbound', 'RE: Proposal'],
    ]);
  });

  it('R3: a contact’s new thread is not synced on Outlook; a reply in a CRM-started thread is', async () => {
    const client = uniqueAddress('client3', 'client.test');
    const s = await setup('r3', [{ id: 'c-3', email: client }]);
    const cold = await s.sandbox.deliver({ from: client, to: [s.owner], subject: 'New topic', text: 'hello' });
    expect(await decisionsFor(stack, s.connectionId, cold.immutableId)).toMatchObject([{ ruleId: 'R3', reason: 'thread_not_crm_initiated', outcome: 'skipped' }]);
    const sent = await s.send({ contactId: 'c-3', subject: 'From the CRM', text: 'hi' });
    const warm = await s.sandbox.deliver({ from: client, to: [s.owner], subject: 'RE: From the CRM', text: 'answer', inReplyTo: sent.body.rfcMessageId, references: [sent.body.rfcMessageId] });
    expect(await decisionsFor(stack, s.connectionId, warm.immutableId)).toMatchObject([{ ruleId: 'R1', outcome: 'synced' }]);
    expect((await conversationMessages(stack, s.locationId, 'c-3')).map((m) => m.subject)).toEqual(['From the CRM', 'RE: From the CRM']);
  });

  it('R4 and R8: the user’s reply from Outlook and a contact’s message with others in Cc sync inside the linked thread', async () => {
    const client = uniqueAddress('client4', 'client.test');
    const colleague = uniqueAddress('colleague', 'client.test');
    const s = await setup('r4', [{ id: 'c-4', email: client }, { id: 'c-col', email: colleague }]);
    const sent = await s.send({ contactId: 'c-4', subject: 'Kick-off', text: 'Monday' });
    const answer = await s.sandbox.deliver({ from: client, to: [s.owner], cc: [colleague], subject: 'RE: Kick-off', text: 'ok, adding a colleague', inReplyTo: sent.body.rfcMessageId, references: [sent.body.rfcMessageId] });
    expect(await decisionsFor(stack, s.connectionId, answer.immutableId)).toMatchObject([{ ruleId: 'R1', outcome: 'synced' }]);
    const mine = await s.sandbox.sendAsOwner({ to: [client], cc: [colleague], text: 'See you', replyToId: answer.id });
    expect(await decisionsFor(stack, s.connectionId, mine.immutableId)).toMatchObject([{ ruleId: 'R4', reason: 'linked_thread_sent', outcome: 'synced' }]);
    const messages = await conversationMessages(stack, s.locationId, 'c-4');
    expect(messages.map((m) => [m.direction, m.source])).toEqual([['outbound', 'crm'], ['inbound', 'contact'], ['outbound', 'mail_client']]);
    expect(messages[1].cc).toEqual([colleague]);
    expect(await conversationMessages(stack, s.locationId, 'c-col')).toEqual([]);
  });

  it('R17: a CRM send with a 4 MB attachment or an .exe is rejected before sending; such incoming mail is not synced', async () => {
    const client = uniqueAddress('client17', 'client.test');
    const s = await setup('r17', [{ id: 'c-17', email: client }]);
    // Only the calls a send makes: the fallback poll keeps reading the mailbox meanwhile.
    const SEND_CALLS = ['messages.create', 'messages.send', 'sendMail', 'attachments.add', 'attachments.createUploadSession'];
    const sendCalls = async () => {
      const { calls } = await s.sandbox.counters();
      return SEND_CALLS.reduce((n, op) => n + (calls[op] ?? 0), 0);
    };
    const before = await sendCalls();
    const big = await s.send({ contactId: 'c-17', subject: 'Big', text: 'x', attachments: [{ filename: 'scan.pdf', contentType: 'application/pdf', contentBase64: Buffer.alloc(4 * 1024 * 1024, 1).toString('base64') }] });
    expect(big.status).toBe(422);
    expect(big.body.error).toMatchObject({ code: 'ATTACHMENT_REJECTED', details: { file: 'scan.pdf' } });
    expect(big.body.error.message).toMatch(/3 MB/);
    const exe = await s.send({ contactId: 'c-17', subject: 'Tool', text: 'x', attachments: [{ filename: 'setup.exe', contentType: 'application/octet-stream', contentBase64: Buffer.from('MZ').toString('base64') }] });
    expect(exe.status).toBe(422);
    expect(exe.body.error.details.file).toBe('setup.exe');
    expect(await sendCalls()).toBe(before);

    const sent = await s.send({ contactId: 'c-17', subject: 'Files', text: 'send them' });
    const incoming = await s.sandbox.deliver({
      from: client, to: [s.owner], subject: 'RE: Files', text: 'here', inReplyTo: sent.body.rfcMessageId, references: [sent.body.rfcMessageId],
      attachments: [{ filename: 'tool.exe', contentType: 'application/octet-stream', content: Buffer.from('MZ') }],
    } as never);
    expect(await decisionsFor(stack, s.connectionId, incoming.immutableId)).toMatchObject([{ ruleId: 'R17', reason: 'attachment_limit', outcome: 'skipped' }]);
  });

  it('R21: a reply Exchange files under a new conversation (subject changed) still joins through In-Reply-To', async () => {
    const client = uniqueAddress('client21', 'client.test');
    const s = await setup('r21', [{ id: 'c-21', email: client }]);
    const sent = await s.send({ contactId: 'c-21', subject: 'Order 7', text: 'shipped' });
    const reply = await s.sandbox.deliver({ from: client, to: [s.owner], subject: 'Delivered today', text: 'thanks', inReplyTo: sent.body.rfcMessageId, references: [sent.body.rfcMessageId] });
    expect(reply.conversationId).not.toBe(sent.body.threadKey);
    const [decision] = await decisionsFor(stack, s.connectionId, reply.immutableId);
    expect(decision).toMatchObject({ ruleId: 'R1', outcome: 'synced' });
    expect(decision!.notes).toEqual([expect.objectContaining({ ruleId: 'R21' })]);
  });

  it('keeps at most 4 concurrent Graph requests per mailbox while syncing a burst', async () => {
    const client = uniqueAddress('client-burst', 'client.test');
    const s = await setup('burst', [{ id: 'c-b', email: client }]);
    const sent = await s.send({ contactId: 'c-b', subject: 'Thread', text: 'go' });
    await s.sandbox.resetCounters();
    const ids = [];
    for (let i = 0; i < 40; i++) {
      ids.push((await s.sandbox.deliver({ from: client, to: [s.owner], subject: `RE: Thread ${i}`, text: String(i), inReplyTo: sent.body.rfcMessageId, references: [sent.body.rfcMessageId] })).immutableId);
    }
    await waitFor(async () => (await stack.db.selectFrom('sync_decisions').select('id').where('connection_id', '=', s.connectionId).execute()).length >= 41, { timeoutMs: 60_000 });
    const counters = await s.sandbox.counters();
    expect(counters.maxConcurrent).toBeLessThanOrEqual(4);
    expect(counters.rateLimited).toBe(0);
    expect(await conversationMessages(stack, s.locationId, 'c-b')).toHaveLength(41);
  });
});
