import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
