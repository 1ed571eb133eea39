import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decisionsFor } from '../helpers/crm-views';
import { setupMailbox } from '../helpers/mailbox';
import { startOutlookStack, type OutlookStack } from '../helpers/outlook-stack';
import { waitFor } from '../helpers/wait';

/**
 * Hole closed here: the one-activity-at-a-time gate woke every waiter at once, so sends and sync pages
 * ran together, overran Graph's 4 concurrent requests per mailbox and drew throttling.
 */
describe('Outlook provider calls under load', () => {
  let stack: OutlookStack;
  beforeAll(async () => {
    stack = await startOutlookStack({ recordAs: 'outlook-provider-lock' });
  });
  afterAll(async () => {
    await stack.close();
  });

  it('R20: 8 parallel sends with 1 s provider latency plus 10 inbound: at most 4 concurrent requests, none throttled, each send once', async () => {
    const s = await setupMailbox(stack, 'outlook', { tag: 'lock' });
    const { owner, client, connectionId } = s;
    const first = await s.send({ contactId: 'c-1', subject: 'Thread', text: 'start' });
    expect(first.status).toBe(201);
    await s.sandbox.resetCounters();

    await s.sandbox.injectFaults({ probability: 1, latencyMs: 1_000 });
    const inbound: string[] = [];
    const sends = Promise.all(Array.from({ length: 8 }, (_, i) => s.send({ contactId: 'c-1', subject: `Parallel ${i}`, text: 'x' }, `lock-${i}`)));
    for (let i = 0; i < 10; i++) {
      const reply = await s.sandbox.deliver({ from: client, to: [owner], subject: 'RE: Thread', text: `reply ${i}`, inReplyTo: first.body.rfcMessageId, references: [first.body.rfcMessageId] });
      inbound.push(reply.immutableId);
    }
    const responses = await sends;
    const ids = responses.map((r) => r.body.id as string);
    for (const id of inbound) expect(await decisionsFor(stack, connectionId, id)).toMatchObject([{ outcome: 'synced' }]);
    const rows = await waitFor(async () => {
      const all = await stack.db.selectFrom('messages').select(['id', 'send_status', 'rfc_message_id']).where('id', 'in', ids).execute();
      return all.every((r) => r.send_status === 'sent') ? all : null;
    }, { timeoutMs: 90_000 });
    await stack.graph.control.clearFaults();

    const counters = await s.sandbox.counters();
    expect(counters.maxConcurrent).toBeLessThanOrEqual(4);
    expect(counters.rateLimited).toBe(0);
    const sentItems = await s.sandbox.sent();
    for (const row of rows) expect(sentItems.filter((m) => m.internetMessageId === row.rfc_message_id)).toHaveLength(1);
  }, 180_000);
});
