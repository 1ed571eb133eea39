import { sql } from 'kysely';
import { mailboxWorkflowId } from '../../src/workflows/state';
import type { ScaleStack } from './scale-stack';
import { rssMb, type WorkerProcess } from './scale-workers';

export interface ProbeReadings {
  workerRssMaxMb: number;
  /** Most client connections open on the Postgres server at one sample (mailsync, Temporal, everything). */
  pgConnections: number;
  /** Per database, at that sample. */
  pgConnectionsByDatabase: Record<string, number>;
}

/** Samples the workers' RSS every second and pg_stat_activity every two, until stopped. */
export function startProbes(stack: ScaleStack, workers: () => WorkerProcess[]): { stop(): Promise<ProbeReadings> } {
  const readings: ProbeReadings = { workerRssMaxMb: 0, pgConnections: 0, pgConnectionsByDatabase: {} };
  let ticks = 0;
  let pending: Promise<void> = Promise.resolve();
  const sample = async () => {
    for (const w of workers()) readings.workerRssMaxMb = Math.max(readings.workerRssMaxMb, rssMb(w.child.pid) ?? 0);
    if (ticks++ % 2 !== 0) return;
    const rows = await sql<{ db: string | null; n: string }>`select datname as db, count(*) as n from pg_stat_activity where backend_type = 'client backend' group by datname`.execute(stack.db);
    const total = rows.rows.reduce((sum, r) => sum + Number(r.n), 0);
    if (total > readings.pgConnections) {
      readings.pgConnections = total;
      readings.pgConnectionsByDatabase = Object.fromEntries(rows.rows.map((r) => [r.db ?? '(none)', Number(r.n)]));
    }
  };
  const timer = setInterval(() => {
    pending = pending.then(sample).catch(() => undefined);
  }, 1000);
  return {
    async stop() {
      clearInterval(timer);
      await pending;
      return readings;
    },
  };
}

/** Mean history length of the current runs of up to `sample` mailbox workflows, spread over all of them. */
export async function historyEventsPerMailbox(stack: ScaleStack, accountIds: string[], sample = 100): Promise<number> {
  const step = Math.max(1, Math.floor(accountIds.length / sample));
  const picked = accountIds.filter((_, i) => i % step === 0).slice(0, sample);
  let total = 0;
  for (const id of picked) total += (await stack.client.workflow.getHandle(mailboxWorkflowId('gmail', id)).describe()).historyLength;
  return total / picked.length;
}
