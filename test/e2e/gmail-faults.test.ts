import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conversationMessages, decisionsFor } from '../helpers/crm-views';
import { startGmailStack, type GmailStack } from '../helpers/gmail-stack';
import { setupMailbox } from '../helpers/mailbox';
import { waitFor } from '../helpers/wait';
import { startWorkerProcess, type WorkerProcess } from '../helpers/worker-process';

describe('Gmail under faults', () => {
  let stack: GmailStack;
  let worker: WorkerProcess | null = null;
  beforeAll(async () => {
    stack = await startGmailStack({ inProcessWorker: false, activityTimeoutMs: 4_000, recordAs: 'gmail-faults' });
    worker = await startWorkerProcess(stack.workerEnv);
  });
  afterAll(async () => {
    await worker?.kill();
    await stack.close();
  });

  const setup = (tag: string) => setupMailbox(stack, 'gmail', { tag });

  it('R20: a rate-limited account backs off until Gmail’s retry time, then syncs every message exactly once', async () => {
    const s = await setup('r20');
    const retryAt = Date.now() + 3_000;
    s.sandbox.injectFaults({ operation: 'history.list', count: 1, status: 429, retryAt: new Date(retryAt).toISOString() });
    const delivered = [];
    for (let i = 0; i < 5; i++) delivered.push(await s.sandbox.deliver({ from: s.client, to: [s.owner], subject: `Burst ${i}`, text: `n=${i}` }));

    const backingOff = await waitFor(async () => {
      const res = await stack.api('GET', `/v1/connections/${s.connectionId}`);
      return res.body.sync.status === 'backing_off' ? res.body : null;
    });
    expect(Date.parse(backingOff.sync.backoffUntil)).toBeGreaterThanOrEqual(retryAt - 1000);
    expect(backingOff.sync.lastError).toMatchObject({ kind: 'RateLimited' });

    for (const m of delivered) expect(await decisionsFor(stack, s.connectionId, m.messageId)).toMatchObject([{ outcome: 'synced' }]);
    const messages = await conversationMessages(stack, s.locationId, 'c-1');
    expect(messages.map((m) => m.subject).sort()).toEqual(['Burst 0', 'Burst 1', 'Burst 2', 'Burst 3', 'Burst 4']);
    const after = await stack.api('GET', `/v1/connections/${s.connectionId}`);
    expect(after.body.sync.status).toBe('active');
  });

  it('R22: the worker killed after Gmail accepted a send and before the activity finished; one message at the provider, one in the CRM', async () => {
    const s = await setup('r22crash');
    s.sandbox.injectFaults({ operation: 'messages.send', count: 1, delayResponseMs: 3_000 });
    const pending = s.send({ contactId: 'c-1', subject: 'Crash test', text: 'once' }, 'crash-1');
    await waitFor(async () => s.sandbox.sent().length === 1, { timeoutMs: 20_000 });
    await worker!.kill();
    worker = await startWorkerProcess(stack.workerEnv);

    const res = await pending;
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ sendStatus: 'sent', subject: 'Crash test' });
    expect(s.sandbox.sent()).toHaveLength(1);
    expect(s.sandbox.counters().sendsAccepted).toBe(1);
    expect(await decisionsFor(stack, s.connectionId, res.body.providerMessageId)).toMatchObject([{ ruleId: 'R22', outcome: 'matched' }]);
    const messages = await conversationMessages(stack, s.locationId, 'c-1');
    expect(messages.map((m) => [m.subject, m.sendStatus, m.providerMessageId])).toEqual([['Crash test', 'sent', res.body.providerMessageId]]);
    const row = await stack.db.selectFrom('messages').select('send_attempts').where('id', '=', res.body.id).executeTakeFirstOrThrow();
    expect(row.send_attempts).toBe(2);
  }, 120_000);
});
