import { decodeTimeoutType, defaultPayloadConverter, type Payload } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GMAIL_UNITS } from '../../src/providers/gmail/quota';
import { startGmailStack, type GmailStack } from '../helpers/gmail-stack';
import { setupMailbox } from '../helpers/mailbox';
import { waitFor } from '../helpers/wait';
import { startWorkerProcess, type WorkerProcess } from '../helpers/worker-process';

/** Identities of the workers that ran the activities of these mailboxes' workflows, from their histories. */
async function activityWorkers(stack: GmailStack, accountIds: string[], after = 0): Promise<Set<string>> {
  const identities = new Set<string>();
  for (const accountId of accountIds) {
    const history = await stack.client.workflow.getHandle(`mailbox/gmail/${accountId}`).fetchHistory();
    for (const event of history.events ?? []) {
      const started = event.activityTaskStartedEventAttributes;
      const at = Number(event.eventTime?.seconds ?? 0) * 1000;
      if (started?.identity && at >= after) identities.add(started.identity);
    }
  }
  return identities;
}

/** Two worker processes on one task queue share the mailboxes; one SIGKILLed mid-storm loses and doubles nothing. */
describe('several workers', () => {
  let stack: GmailStack;
  const workers: WorkerProcess[] = [];
  beforeAll(async () => {
    stack = await startGmailStack({ inProcessWorker: false, activityTimeoutMs: 4_000 });
    workers.push(await startWorkerProcess(stack.workerEnv), await startWorkerProcess(stack.workerEnv));
  });
  afterAll(async () => {
    await Promise.all(workers.map((w) => w.kill()));
    await stack.close();
  });

  it('share one task queue; killing one mid-storm, the other takes over its mailboxes and every message is stored once', async () => {
    const mailboxes = await Promise.all(Array.from({ length: 8 }, (_, n) => setupMailbox(stack, 'gmail', { tag: `workers-${n}` })));
    const accountIds = mailboxes.map((m) => m.accountId);
    const pids = workers.map((w) => w.child.pid);

    const deliver = (round: number) =>
      Promise.all(mailboxes.map((m, n) => m.sandbox.deliver({ from: m.client, to: [m.owner], subject: `r${round}-m${n}`, text: 'hello' })));
    const delivered = [];
    for (let round = 0; round < 3; round++) delivered.push(...(await deliver(round)));
    const shared = await activityWorkers(stack, accountIds);
    expect([...shared].map((id) => Number(id.split('@')[0])).sort()).toEqual([...pids].sort());

    await workers[0]!.kill();
    const killedAt = Date.now();
    for (let round = 3; round < 6; round++) delivered.push(...(await deliver(round)));

    await waitFor(
      async () => {
        const row = await stack.db.selectFrom('messages').select((eb) => eb.fn.countAll<string>().as('n')).where('source', '=', 'contact').executeTakeFirstOrThrow();
        return Number(row.n) >= delivered.length;
      },
      { timeoutMs: 90_000 },
    );
    const stored = await stack.db.selectFrom('messages').select(['provider_message_id']).where('source', '=', 'contact').execute();
    expect(stored.map((r) => r.provider_message_id).sort()).toEqual(delivered.map((d) => d.messageId).sort());
    const afterKill = await activityWorkers(stack, accountIds, killedAt + 1_000);
    expect([...afterKill].map((id) => Number(id.split('@')[0]))).toEqual([pids[1]]);
  }, 180_000);
});

const decoded = (payload: Payload | null | undefined): unknown => (payload ? defaultPayloadConverter.fromPayload(payload) : null);

/** The started `syncPage` attempts of this mailbox in flight: their worker's process id and the units their last heartbeat carried. */
async function pageRunners(stack: GmailStack, accountId: string): Promise<Array<{ pid: number; heartbeatUnits: number }>> {
  const described = await stack.client.workflow.getHandle(`mailbox/gmail/${accountId}`).describe();
  return (described.raw.pendingActivities ?? [])
    .filter((a) => a.activityType?.name === 'syncPage' && a.lastStartedTime && a.lastWorkerIdentity)
    .map((a) => ({ pid: Number(a.lastWorkerIdentity!.split('@')[0]), heartbeatUnits: Number((decoded(a.heartbeatDetails?.payloads?.[0]) as { units?: number } | null)?.units ?? 0) }));
}

/** A page on a worker that dies mid-call is retried on the other one when its heartbeats stop, not at its 60 s timeout. */
describe('a page on a dead worker', () => {
  let stack: GmailStack;
  const workers: WorkerProcess[] = [];
  beforeAll(async () => {
    // Pages may run 60 s; their heartbeat timeout is 15 s (activity-proxies.ts).
    stack = await startGmailStack({ inProcessWorker: false, activityTimeoutMs: 60_000 });
    workers.push(await startWorkerProcess(stack.workerEnv), await startWorkerProcess(stack.workerEnv));
  });
  afterAll(async () => {
    await Promise.all(workers.map((w) => w.kill()));
    await stack.close();
  });

  it('is timed out by its heartbeat and retried on the other worker; the message is stored once', async () => {
    const m = await setupMailbox(stack, 'gmail', { tag: 'heartbeat' });
    // The page's read of the new message hangs for 40 s: the worker is killed while the page waits on it.
    m.sandbox.injectFaults({ operation: 'messages.get', latencyMs: 40_000, count: 1 });
    const sent = await m.sandbox.deliver({ from: m.client, to: [m.owner], subject: 'while a worker dies', text: 'hello' });
    // Killed once a heartbeat has carried what the attempt spent: its history read and the hanging read.
    const runner = await waitFor(async () => (await pageRunners(stack, m.accountId)).find((r) => r.heartbeatUnits >= GMAIL_UNITS.historyList + GMAIL_UNITS.messagesGet) ?? null);
    const dying = workers.find((w) => w.child.pid === runner.pid)!;
    expect(dying).toBeDefined();
    await dying.kill();

    const stored = await waitFor(
      async () => {
        const rows = await stack.db.selectFrom('messages').select('provider_message_id').where('account_id', '=', m.accountId).where('source', '=', 'contact').execute();
        return rows.length > 0 ? rows : null;
      },
      { timeoutMs: 90_000 },
    );
    expect(stored.map((r) => r.provider_message_id)).toEqual([sent.messageId]);

    const history = await stack.client.workflow.getHandle(`mailbox/gmail/${m.accountId}`).fetchHistory();
    const retried = (history.events ?? []).map((e) => e.activityTaskStartedEventAttributes).filter((s) => s && (s.attempt ?? 1) > 1);
    const survivor = workers.find((w) => w !== dying)!.child.pid;
    expect(retried.map((s) => [decodeTimeoutType(s!.lastFailure?.timeoutFailureInfo?.timeoutType), Number(s!.identity!.split('@')[0])])).toContainEqual(['HEARTBEAT', survivor]);

    // The units the page reports, which the workflow paces the account by, include the dead attempt's spend.
    const retriedPage = retried.find((s) => decodeTimeoutType(s!.lastFailure?.timeoutFailureInfo?.timeoutType) === 'HEARTBEAT')!;
    const completed = (history.events ?? []).map((e) => e.activityTaskCompletedEventAttributes).find((c) => c && Number(c.scheduledEventId) === Number(retriedPage.scheduledEventId));
    const { units } = decoded(completed?.result?.payloads?.[0]) as { units: number };
    expect(units).toBeGreaterThanOrEqual(runner.heartbeatUnits + GMAIL_UNITS.messagesGet);
  }, 180_000);
});
