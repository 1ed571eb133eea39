/**
 * `npm run bench`: mailsync's speed figures, measured in one run on this machine (report ratios, not
 * absolute numbers: the machines are noisy).
 *  - ingest: end-to-end (push → workflow → activity → Postgres) against the raw pipeline (the same fetch,
 *    parse, decide and insert, called directly without Temporal), on the same number of messages;
 *  - Temporal history events per synced message;
 *  - push-to-stored latency at light load (p50, p99);
 *  - quota units per synced message against the minimum the Gmail API allows.
 */
import { performance } from 'node:perf_hooks';
import { createSyncPage } from '../src/activities/sync/sync-page';
import { createMailboxFactory } from '../src/activities/mailboxes';
import { GMAIL_UNITS } from '../src/providers/gmail/quota';
import { api, startBenchStack, type BenchStack } from './bench/setup';

const N = Number(process.env.BENCH_MESSAGES ?? 1000);
const LATENCY_SAMPLES = Number(process.env.BENCH_LATENCY_SAMPLES ?? 50);
const log = (line: string) => process.stdout.write(`${line}\n`);

async function mailbox(stack: BenchStack, tag: string) {
  const owner = `${tag}-${Date.now()}@bench.test`;
  const client = `client-${tag}@client.test`;
  const loc = `loc-${tag}`;
  await api(stack, 'PUT', `/v1/locations/${loc}`, { name: tag });
  await api(stack, 'PUT', `/v1/users/u-${tag}`, { email: owner, name: tag, locationIds: [loc] });
  await api(stack, 'PUT', `/v1/locations/${loc}/contacts/c-1`, { email: client, assignedUserId: `u-${tag}` });
  const grant = stack.sandbox.control.createAccount(owner);
  return { owner, client, loc, grant };
}

const count = async (stack: BenchStack, accountId: string) =>
  Number((await stack.db.selectFrom('messages').select((eb) => eb.fn.countAll<string>().as('n')).where('account_id', '=', accountId).executeTakeFirstOrThrow()).n);

async function deliverAll(stack: BenchStack, m: { owner: string; client: string }, n: number) {
  for (let i = 0; i < n; i++) await stack.sandbox.control.deliver(m.owner, { from: m.client, to: [m.owner], subject: `bench ${i}`, text: `message ${i} `.repeat(20) });
}

/** The raw pipeline: sync pages called directly, no workflow, no Temporal. */
async function raw(stack: BenchStack): Promise<number> {
  const m = await mailbox(stack, 'raw');
  const stop = await stack.startWorker();
  const conn = await api(stack, 'POST', '/v1/connections', { locationId: m.loc, userId: `u-${m.loc.slice(4)}`, provider: 'gmail', refreshToken: m.grant.refreshToken });
  await waitUntil(async () => Object.keys((await stack.db.selectFrom('sync_state').select('cursor').where('account_id', '=', conn.accountId).executeTakeFirstOrThrow()).cursor).length > 0);
  await stack.client.workflow.getHandle(conn.workflowId).terminate('bench: raw pipeline runs without the workflow');
  await stop();
  await deliverAll(stack, m, N);
  const syncPage = createSyncPage(stack.deps, createMailboxFactory(stack.deps));
  const start = performance.now();
  for (;;) if (!(await syncPage({ accountId: conn.accountId })).more) break;
  const ms = performance.now() - start;
  if ((await count(stack, conn.accountId)) !== N) throw new Error('raw pipeline stored the wrong number of messages');
  return ms;
}

async function endToEnd(stack: BenchStack): Promise<{ ms: number; eventsPerMessage: number; unitsPerMessage: number }> {
  const m = await mailbox(stack, 'e2e');
  const stop = await stack.startWorker();
  const conn = await api(stack, 'POST', '/v1/connections', { locationId: m.loc, userId: `u-${m.loc.slice(4)}`, provider: 'gmail', refreshToken: m.grant.refreshToken });
  await waitUntil(async () => Object.keys((await stack.db.selectFrom('sync_state').select('cursor').where('account_id', '=', conn.accountId).executeTakeFirstOrThrow()).cursor).length > 0);
  const handle = stack.client.workflow.getHandle(conn.workflowId);
  await stop();
  // Delivered while no worker runs (pushes wait in Temporal), so the timing covers mailsync's work only, as for the raw pipeline.
  const eventsBefore = (await handle.fetchHistory()).events?.length ?? 0;
  stack.sandbox.control.resetCounters(m.owner);
  await deliverAll(stack, m, N);
  const start = performance.now();
  const stopAgain = await stack.startWorker();
  await waitUntil(async () => (await count(stack, conn.accountId)) >= N);
  const ms = performance.now() - start;
  const events = ((await handle.fetchHistory()).events?.length ?? 0) - eventsBefore;
  const units = stack.sandbox.control.counters(m.owner).quotaUnits;
  await stopAgain();
  return { ms, eventsPerMessage: events / N, unitsPerMessage: units / N };
}

async function latency(stack: BenchStack): Promise<number[]> {
  const m = await mailbox(stack, 'lat');
  const stop = await stack.startWorker();
  const conn = await api(stack, 'POST', '/v1/connections', { locationId: m.loc, userId: `u-${m.loc.slice(4)}`, provider: 'gmail', refreshToken: m.grant.refreshToken });
  await waitUntil(async () => Object.keys((await stack.db.selectFrom('sync_state').select('cursor').where('account_id', '=', conn.accountId).executeTakeFirstOrThrow()).cursor).length > 0);
  const samples: number[] = [];
  for (let i = 0; i < LATENCY_SAMPLES; i++) {
    const start = performance.now();
    const sent = await stack.sandbox.control.deliver(m.owner, { from: m.client, to: [m.owner], subject: `latency ${i}`, text: 'x' });
    await waitUntil(async () => Boolean(await stack.db.selectFrom('messages').select('id').where('provider_message_id', '=', sent.messageId).executeTakeFirst()), 2);
    samples.push(performance.now() - start);
    await new Promise((r) => setTimeout(r, 250));
  }
  await stop();
  return samples.sort((a, b) => a - b);
}

async function waitUntil(fn: () => Promise<boolean>, intervalMs = 20, timeoutMs = 600_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await fn())) {
    if (Date.now() > deadline) throw new Error('bench: timed out');
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

async function main(): Promise<void> {
  const stack = await startBenchStack(log);
  try {
    log(`mailsync bench: ${N} messages, Gmail sandbox, one run`);
    const rawMs = await raw(stack);
    const e2e = await endToEnd(stack);
    const lat = await latency(stack);
    const minimumUnits = GMAIL_UNITS.messagesGet + GMAIL_UNITS.historyList / 100;
    log('');
    log(`raw pipeline            ${rawMs.toFixed(0)} ms  (${((N / rawMs) * 1000).toFixed(0)} msg/s)`);
    log(`end to end (Temporal)   ${e2e.ms.toFixed(0)} ms  (${((N / e2e.ms) * 1000).toFixed(0)} msg/s; worker start included)`);
    log(`throughput ratio        ${(rawMs / e2e.ms).toFixed(2)}  (target ≥ 0.80)`);
    log(`history events/message  ${e2e.eventsPerMessage.toFixed(3)}  (target ≤ 0.10)`);
    log(`quota units/message     ${e2e.unitsPerMessage.toFixed(2)}  (minimum ${minimumUnits.toFixed(2)}: one messages.get, history pages shared; target within 10%)`);
    log(`push→stored latency     p50 ${pct(lat, 50).toFixed(0)} ms, p99 ${pct(lat, 99).toFixed(0)} ms over ${lat.length} messages (target p99 < 300 ms)`);
  } finally {
    await stack.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
