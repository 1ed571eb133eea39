import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signalConnect } from '../../src/connections/mailbox-client';
import { connectSignal, notifySignal, stateQuery } from '../../src/workflows/definitions';
import { startStack, type Stack } from '../helpers/stack';
import { waitFor } from '../helpers/wait';

describe('mailbox workflow across continue-as-new', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ recordAs: 'continue-as-new' });
  });
  afterAll(async () => {
    await stack.close();
  });

  it('keeps bindings and counters when a run continues as new', async () => {
    const account = { accountId: `acct_can_${Date.now()}`, provider: 'gmail' as const, address: 'can@example.test', sendLimit: 500 };
    const opts = { taskQueue: stack.taskQueue, timers: { fallbackPollMs: 600_000, watchRenewMs: 86_400_000, maxBackoffMs: 30_000 }, maxMessagesPerRun: 4 };
    const binding = (n: number) => ({ connectionId: `conn_${n}`, locationId: `loc_${n}`, userId: 'u1', connectedAt: '2026-11-26T00:00:00.000Z' });
    const workflowId = await signalConnect(stack.client, opts, account, { binding: binding(1), newCredentials: true });
    const handle = stack.client.workflow.getHandle(workflowId);
    const firstRun = (await handle.describe()).runId;

    await handle.signal(connectSignal, { binding: binding(2), newCredentials: false });
    for (let i = 0; i < 6; i++) await handle.signal(notifySignal, { source: 'api' });

    const state = await waitFor(async () => {
      const s = await handle.query(stateQuery);
      return s.counters.runs >= 2 && s.counters.signals === 8 ? s : null;
    });
    expect((await handle.describe()).runId).not.toBe(firstRun);
    expect(state.bindings.map((b) => b.connectionId)).toEqual(['conn_1', 'conn_2']);
    expect(state.counters).toMatchObject({ signals: 8, notifies: 6 });
    await handle.terminate('test over');
  });
});
