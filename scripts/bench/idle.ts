import { stateQuery } from '../../src/workflows/definitions';
import type { MailboxTimers } from '../../src/workflows/state';
import { api, startBenchStack, type BenchStack } from './setup';

/**
 * `npm run bench -- --idle`: what an idle mailbox costs a day, read from its real workflow history and
 * the sandbox's call counters. Time is compressed: one day lasts BENCH_IDLE_DAY_MS (120 s) and every
 * timer is scaled with it (fallback poll 5 min, idle poll 6 h, drift audit 6 h, watch renewal 1 day).
 * Two mailboxes run side by side with push working and no mail: idle polling on (MAILSYNC_IDLE_POLL=6h)
 * and off (every mailbox on the 5-minute fallback poll, as before idle polling).
 */
const DAY = 86_400_000;
const DAY_MS = Number(process.env.BENCH_IDLE_DAY_MS ?? 120_000);
const DAYS = Number(process.env.BENCH_IDLE_DAYS ?? 2);

const scaled = (ms: number) => Math.max(1, Math.round((ms * DAY_MS) / DAY));

export interface IdleCost {
  mode: string;
  perDay: { timers: number; activities: number; workflowTasks: number; signals: number; searchAttributeUpserts: number; actions: number; historyEvents: number; providerCalls: number };
}

export async function idleBench(log: (line: string) => void): Promise<IdleCost[]> {
  log(`mailsync idle bench: one day = ${DAY_MS / 1000} s (timers scaled by 1/${Math.round(DAY / DAY_MS)}), ${DAYS} days measured, Gmail sandbox, push working, no mail`);
  const base: Partial<MailboxTimers> = { fallbackPollMs: scaled(300_000), driftAuditMs: scaled(6 * 3_600_000), watchRenewMs: scaled(DAY), maxBackoffMs: scaled(900_000) };
  const modes = [
    { mode: 'idle polling on (6 h)', timers: { ...base, idlePollMs: scaled(6 * 3_600_000) } },
    { mode: 'idle polling off (5 min poll)', timers: base },
  ];
  return Promise.all(modes.map(async ({ mode, timers }) => ({ mode, perDay: await measure(log, mode, timers) })));
}

async function measure(log: (line: string) => void, mode: string, timers: Partial<MailboxTimers>): Promise<IdleCost['perDay']> {
  const stack = await startBenchStack(log, { timers });
  const stopWorker = await stack.startWorker();
  try {
    const owner = `idle-${Date.now()}@bench.test`;
    await api(stack, 'PUT', '/v1/locations/loc-idle', { name: 'idle' });
    await api(stack, 'PUT', '/v1/users/u-idle', { email: owner, name: 'idle', locationIds: ['loc-idle'] });
    const grant = stack.sandbox.control.createAccount(owner);
    const conn = await api(stack, 'POST', '/v1/connections', { locationId: 'loc-idle', userId: 'u-idle', provider: 'gmail', refreshToken: grant.refreshToken });
    const handle = stack.client.workflow.getHandle(conn.workflowId);
    // Warm-up: the first rounds, the watch, and one whole poll interval, so the window holds only steady idle wakes.
    await until(async () => {
      const state = await handle.query(stateQuery);
      return state.lastSyncAt !== null && state.watchExpiresAt !== null;
    });
    await sleep(timers.idlePollMs ?? timers.fallbackPollMs!);
    const t0 = Date.now();
    const calls0 = (await stack.sandbox.control.counters(owner)).totalCalls;
    await sleep(DAYS * DAY_MS);
    const t1 = Date.now();
    const calls1 = (await stack.sandbox.control.counters(owner)).totalCalls;
    const counts = await countEvents(stack, conn.workflowId, t0, t1);
    const days = (t1 - t0) / DAY_MS;
    const perDay = Object.fromEntries(Object.entries({ ...counts, providerCalls: calls1 - calls0 }).map(([k, v]) => [k, Math.round((v / days) * 10) / 10])) as IdleCost['perDay'];
    log(`${mode}: ${JSON.stringify(perDay)}`);
    return perDay;
  } finally {
    await stopWorker();
    await stack.close();
  }
}

/** History events in (t0, t1], by kind. Actions as Temporal Cloud bills them: timers, activities, signals, upserts, starts. */
async function countEvents(stack: BenchStack, workflowId: string, t0: number, t1: number) {
  const history = await stack.client.workflow.getHandle(workflowId).fetchHistory();
  const kinds = { timers: 0, activities: 0, workflowTasks: 0, signals: 0, searchAttributeUpserts: 0, starts: 0, historyEvents: 0 };
  for (const event of history.events ?? []) {
    const at = Number(event.eventTime?.seconds ?? 0) * 1000 + Math.floor((event.eventTime?.nanos ?? 0) / 1e6);
    if (at <= t0 || at > t1) continue;
    kinds.historyEvents++;
    if (event.timerStartedEventAttributes) kinds.timers++;
    if (event.activityTaskScheduledEventAttributes) kinds.activities++;
    if (event.workflowTaskScheduledEventAttributes) kinds.workflowTasks++;
    if (event.workflowExecutionSignaledEventAttributes) kinds.signals++;
    if (event.upsertWorkflowSearchAttributesEventAttributes) kinds.searchAttributeUpserts++;
    if (event.workflowExecutionStartedEventAttributes) kinds.starts++;
  }
  const { starts, ...rest } = kinds;
  return { ...rest, actions: kinds.timers + kinds.activities + kinds.signals + kinds.searchAttributeUpserts + starts };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('idle bench: the mailbox did not finish its first sync');
    await sleep(200);
  }
}
