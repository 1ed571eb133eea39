import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notifySignal, stateQuery } from '../../src/workflows/definitions';
import { conversationMessages } from '../helpers/crm-views';
import { startGmailStack, type GmailStack } from '../helpers/gmail-stack';
import { prepareMailbox, setupMailbox } from '../helpers/mailbox';
import { waitFor } from '../helpers/wait';
import { startWorkerProcess, type WorkerProcess } from '../helpers/worker-process';

describe('Gmail recovery: expired history and long life', () => {
  let stack: GmailStack;
  let worker: WorkerProcess | null = null;
  beforeAll(async () => {
    stack = await startGmailStack({ inProcessWorker: false, maxMessagesPerRun: 12, activityTimeoutMs: 5_000, recordAs: 'gmail-recovery' });
    worker = await startWorkerProcess(stack.workerEnv);
  });
  afterAll(async () => {
    await worker?.kill();
    await stack.close();
  });

  const countStored = async (accountId: string) =>
    Number((await stack.db.selectFrom('messages').select((eb) => eb.fn.countAll<string>().as('n')).where('account_id', '=', accountId).executeTakeFirstOrThrow()).n);

  it('an expired history (404) is reconciled: 50 missed messages stored once, none from before connect, nothing re-imported', async () => {
    const box = await prepareMailbox(stack, 'gmail', { tag: 'exp' });
    const { owner, client, sandbox } = box;
    for (let i = 0; i < 3; i++) await sandbox.deliver({ from: client, to: [owner], subject: `old ${i}`, text: 'before connect', date: new Date(Date.now() - 3_600_000 * (i + 1)).toISOString() });
    const { accountId, locationId } = await box.connect();
    for (let i = 0; i < 5; i++) await sandbox.deliver({ from: client, to: [owner], subject: `synced ${i}`, text: 'seen' });
    await waitFor(async () => (await countStored(accountId)) === 5);

    await worker!.kill();
    for (let i = 0; i < 50; i++) await sandbox.deliver({ from: client, to: [owner], subject: `missed ${String(i).padStart(2, '0')}`, text: 'while down' });
    sandbox.control.expireHistory(owner);
    worker = await startWorkerProcess(stack.workerEnv);
    await stack.client.workflow.getHandle(`mailbox/gmail/${accountId}`).signal(notifySignal, { source: 'api' });

    await waitFor(async () => (await countStored(accountId)) >= 55, { timeoutMs: 60_000 });
    const subjects = (await conversationMessages(stack, locationId, 'c-1')).map((m) => m.subject);
    expect(subjects).toHaveLength(55);
    expect(new Set(subjects).size).toBe(55);
    expect(subjects.filter((s) => s.startsWith('old'))).toEqual([]);
    expect(subjects.filter((s) => s.startsWith('missed'))).toHaveLength(50);
    const expired = await stack.api('GET', '/v1/events?type=sync.cursor_expired');
    expect(expired.body.events.some((e: any) => e.payload.accountId === accountId)).toBe(true);
    const cursor = (await stack.db.selectFrom('sync_state').select('cursor').where('account_id', '=', accountId).executeTakeFirstOrThrow()).cursor;
    expect(cursor.mode).toBeUndefined();
  }, 120_000);

  it('three continue-as-new boundaries with sends and pushes in flight lose nothing and apply nothing twice', async () => {
    const s = await setupMailbox(stack, 'gmail', { tag: 'can' });
    const { owner, client, connectionId, accountId } = s;
    const handle = stack.client.workflow.getHandle(`mailbox/gmail/${accountId}`);
    const sends: Promise<{ status: number }>[] = [];
    // Four rounds; each starts sends and pushes without waiting for them, then waits for the next run,
    // so every boundary is crossed with work in flight.
    for (let round = 0; round < 4; round++) {
      const runsBefore = (await handle.query(stateQuery)).counters.runs;
      for (let i = round * 4; i < round * 4 + 4; i++) {
        sends.push(s.send({ contactId: 'c-1', subject: `out ${i}`, text: String(i) }, `can-${i}`));
        await s.sandbox.deliver({ from: client, to: [owner], subject: `in ${i}`, text: String(i) });
        await handle.signal(notifySignal, { source: 'api' });
        await handle.signal(notifySignal, { source: 'api' });
      }
      if (round < 3) await waitFor(async () => (await handle.query(stateQuery)).counters.runs > runsBefore, { timeoutMs: 30_000 });
    }
    const results = await Promise.all(sends);
    expect(results.map((r) => r.status)).toEqual(Array(16).fill(201));
    const state = await waitFor(async () => {
      const now = await handle.query(stateQuery);
      return (await countStored(accountId)) === 32 && now.counters.sends === 16 ? now : null;
    }, { timeoutMs: 60_000 });
    expect(state.counters.runs).toBeGreaterThanOrEqual(4);
    expect(state.counters.sends).toBe(16);
    expect(state.bindings.map((b) => b.connectionId)).toEqual([connectionId]);
    expect(s.sandbox.counters().sendsAccepted).toBe(16);
    const subjects = (await conversationMessages(stack, s.locationId, 'c-1')).map((m) => m.subject).sort();
    expect(subjects).toEqual([...Array.from({ length: 16 }, (_, i) => `in ${i}`), ...Array.from({ length: 16 }, (_, i) => `out ${i}`)].sort());
  }, 120_000);
});
