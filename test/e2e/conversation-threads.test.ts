import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decisionsFor } from '../helpers/crm-views';
import { setupMailbox } from '../helpers/mailbox';
import { startOutlookStack, type OutlookStack } from '../helpers/outlook-stack';

describe('GET /v1/conversations/:id/threads (R21)', () => {
  let stack: OutlookStack;
  beforeAll(async () => {
    stack = await startOutlookStack();
  });
  afterAll(async () => {
    await stack.close();
  });

  it('R21: groups a conversation by thread, a reply Exchange filed under another conversation joining the thread it answers', async () => {
    const s = await setupMailbox(stack, 'outlook', { tag: 'threads' });
    const order = await s.send({ contactId: 'c-1', subject: 'Order 7', text: 'shipped' });
    const reply = await s.sandbox.deliver({ from: s.client, to: [s.owner], subject: 'Delivered today', text: 'thanks', inReplyTo: order.body.rfcMessageId, references: [order.body.rfcMessageId] });
    expect(reply.conversationId).not.toBe(order.body.threadKey);
    const [decision] = await decisionsFor(stack, s.connectionId, reply.immutableId);
    expect(decision).toMatchObject({ ruleId: 'R1', outcome: 'synced' });
    const invoice = await s.send({ contactId: 'c-1', subject: 'Invoice 7', text: 'attached' });

    const conversationId = order.body.conversationId as string;
    const res = await stack.api('GET', `/v1/conversations/${conversationId}/threads`);
    expect(res.status).toBe(200);
    const order7 = await stack.db.selectFrom('messages').select(['provider_thread_id']).where('id', '=', order.body.id).executeTakeFirstOrThrow();
    expect(res.body.threads.map((t: any) => ({ subject: t.subject, messageIds: t.messageIds, joined: t.providerThreadIds.length }))).toEqual([
      { subject: 'Order 7', messageIds: [order.body.id, decision!.messageId], joined: 2 },
      { subject: 'Invoice 7', messageIds: [invoice.body.id], joined: 1 },
    ]);
    expect(res.body.threads[0].threadKey).toBe(order7.provider_thread_id);
    expect(res.body.nextCursor).toBeNull();

    // Paged one thread at a time, in the same order, nothing repeated.
    const first = await stack.api('GET', `/v1/conversations/${conversationId}/threads?limit=1`);
    const second = await stack.api('GET', `/v1/conversations/${conversationId}/threads?limit=1&cursor=${encodeURIComponent(first.body.nextCursor)}`);
    expect([...first.body.threads, ...second.body.threads].map((t: any) => t.subject)).toEqual(['Order 7', 'Invoice 7']);
    expect(second.body.nextCursor).toBeNull();
    expect((await stack.api('GET', '/v1/conversations/conv_nothing/threads')).status).toBe(404);
  });
});
