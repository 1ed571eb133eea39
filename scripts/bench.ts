/**
 * `npm run bench`: mailsync's speed figures, measured in one run on this machine (report ratios, not
 * absolute numbers: the machines are noisy).
 *  - ingest: end-to-end (push → workflow → activity → Postgres, the worker already running on a prebuilt
 *    workflow bundle) against the raw pipeline (the same fetch, parse, decide and insert, called directly
 *    without Temporal), on the same number of messages; BENCH_RUNS pairs (3), median and spread;
 *  - Temporal history events per synced message;
 *  - push-to-stored latency at light load (p50, p99);
 *  - quota units per synced message against the minimum the Gmail API allows;
 * then bench/chart.svg. `--quota`: the quota drain (bench/quota.ts); `--chart`: the chart alone.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { KyselyPlugin } from 'kysely';
import { performance } from 'node:perf_hooks';
import { createSyncPage } from '../src/activities/sync/sync-page';
import { createMailboxFactory } from '../src/activities/mailboxes';
import { GMAIL_UNITS } from '../src/providers/gmail/quota';
import { notifySignal } from '../src/workflows/definitions';
import { writeChart } from './bench/chart';
import { idleBench } from './bench/idle';
import { scaleBench } from './bench/scale';
import { quotaBench } from './bench/quota';
import { IDLE_RESULTS_FILE, mergeResults, RESULTS_FILE } from './bench/results-file';
import { api, startBenchStack, type BenchStack } from './bench/setup';

const N = Number(process.env.BENCH_MESSAGES ?? 1000);
const LATENCY_SAMPLES = Number(process.env.BENCH_LATENCY_SAMPLES ?? 50);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
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

/** Counts the statements a Kysely instance sends (the raw pipeline's queries per message). */
function countingQueries() {
  const counter = { queries: 0 };
  const plugin: KyselyPlugin = {
    transformQuery: (args) => {
      counter.queries++;
      return args.node;
    },
    transformResult: async (args) => args.result,
  };
  return { counter, plugin };
}

/** The raw pipeline: sync pages called directly, no workflow, no Temporal. */
async function raw(stack: BenchStack, run: number): Promise<{ ms: number; queriesPerMessage: number }> {
  const m = await mailbox(stack, `raw${run}`);
  const stop = await stack.startWorker();
  const conn = await api(stack, 'POST', '/v1/connections', { locationId: m.loc, userId: `u-${m.loc.slice(4)}`, provider: 'gmail', refreshToken: m.grant.refreshToken });
  await waitUntil(async () => Object.keys((await stack.db.selectFrom('sync_state').select('cursor').where('account_id', '=', conn.accountId).executeTakeFirstOrThrow()).cursor).length > 0);
  await stack.client.workflow.getHandle(conn.workflowId).terminate('bench: raw pipeline runs without the workflow');
  await stop();
  await deliverAll(stack, m, N);
  const { counter, plugin } = countingQueries();
  const deps = { ...stack.deps, db: stack.deps.db.withPlugin(plugin) };
  const syncPage = createSyncPage(deps, createMailboxFactory(deps));
  const start = performance.now();
  for (;;) if (!(await syncPage({ accountId: conn.accountId })).more) break;
  const ms = performance.now() - start;
  if ((await count(stack, conn.accountId)) !== N) throw new Error('raw pipeline stored the wrong number of messages');
  return { ms, queriesPerMessage: counter.queries / N };
}

/**
 * End to end with the worker already running: the messages are delivered while pushes are paused, then
 * one push-equivalent notify starts the clock, so the figure covers mailsync's work only (as for the raw
 * pipeline), not a worker start.
 */
async function endToEnd(stack: BenchStack, run: number): Promise<{ ms: number; eventsPerMessage: number; unitsPerMessage: number }> {
  const m = await mailbox(stack, `e2e${run}`);
  const stop = await stack.startWorker();
  try {
    const conn = await api(stack, 'POST', '/v1/connections', { locationId: m.loc, userId: `u-${m.loc.slice(4)}`, provider: 'gmail', refreshToken: m.grant.refreshToken });
    await waitUntil(async () => Object.keys((await stack.db.selectFrom('sync_state').select('cursor').where('account_id', '=', conn.accountId).executeTakeFirstOrThrow()).cursor).length > 0);
    const handle = stack.client.workflow.getHandle(conn.workflowId);
    stack.sandbox.control.setPushEndpoint(null);
    const eventsBefore = (await handle.fetchHistory()).events?.length ?? 0;
    stack.sandbox.control.resetCounters(m.owner);
    await deliverAll(stack, m, N);
    const start = performance.now();
    await handle.signal(notifySignal, { source: 'push' });
    await waitUntil(async () => (await count(stack, conn.accountId)) >= N);
    const ms = performance.now() - start;
    const events = ((await handle.fetchHistory()).events?.length ?? 0) - eventsBefore;
    const units = stack.sandbox.control.counters(m.owner).quotaUnits;
    return { ms, eventsPerMessage: events / N, unitsPerMessage: units / N };
  } finally {
    stack.sandbox.control.setPushEndpoint(stack.pushUrl, 'bench');
    await stop();
  }
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

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
const spread = (xs: number[], digits: number) => `${Math.min(...xs).toFixed(digits)}–${Math.max(...xs).toFixed(digits)}`;

async function main(): Promise<void> {
  if (process.argv.includes('--chart')) return writeChart(log);
  if (process.argv.includes('--quota')) return quotaBench(log);
  if (process.argv.includes('--scale')) {
    await scaleBench(process.argv.slice(2), log);
    return;
  }
  if (process.argv.includes('--idle')) {
    const results = await idleBench(log);
    const measuredAt = new Date().toISOString();
    writeFileSync(IDLE_RESULTS_FILE, `${JSON.stringify({ measuredAt, results }, null, 2)}\n`);
    // The figure: timers, activities, workflow tasks and signals, with idle polling on (production).
    const on = results[0]!.perDay;
    mergeResults({
      idle: {
        measuredAt,
        mode: results[0]!.mode,
        actionsPerMailboxPerDay: on.timers + on.activities + on.workflowTasks + on.signals,
        billableActionsPerMailboxPerDay: on.actions,
        providerCallsPerMailboxPerDay: on.providerCalls,
      },
    });
    log(`results: ${path.relative(process.cwd(), IDLE_RESULTS_FILE)}, idle in ${path.relative(process.cwd(), RESULTS_FILE)}`);
    return;
  }
  const stack = await startBenchStack(log);
  try {
    log(`mailsync bench: ${N} messages per run, ${RUNS} runs of each pipeline (alternating), Gmail sandbox`);
    const runs: { rawMs: number; rawQueries: number; e2e: Awaited<ReturnType<typeof endToEnd>> }[] = [];
    for (let i = 0; i < RUNS; i++) {
      const { ms: rawMs, queriesPerMessage: rawQueries } = await raw(stack, i);
      const e2e = await endToEnd(stack, i);
      runs.push({ rawMs, rawQueries, e2e });
      log(`run ${i + 1}: raw ${((N / rawMs) * 1000).toFixed(0)} msg/s, end to end ${((N / e2e.ms) * 1000).toFixed(0)} msg/s, ratio ${(rawMs / e2e.ms).toFixed(2)}`);
    }
    const lat = await latency(stack);
    const minimumUnits = GMAIL_UNITS.messagesGet + GMAIL_UNITS.historyList / 100;
    const ratios = runs.map((r) => r.rawMs / r.e2e.ms);
    const rawRates = runs.map((r) => (N / r.rawMs) * 1000);
    const engineRates = runs.map((r) => (N / r.e2e.ms) * 1000);
    const events = runs.map((r) => r.e2e.eventsPerMessage);
    const units = runs.map((r) => r.e2e.unitsPerMessage);
    const queries = runs.map((r) => r.rawQueries);
    log('');
    log(`raw pipeline            median ${median(rawRates).toFixed(0)} msg/s (runs ${spread(rawRates, 0)})`);
    log(`end to end (Temporal)   median ${median(engineRates).toFixed(0)} msg/s (runs ${spread(engineRates, 0)}; worker already running, prebuilt bundle)`);
    log(`raw queries/message     median ${median(queries).toFixed(2)} (runs ${spread(queries, 2)}; every statement of the sync pages, reads and writes)`);
    log(`throughput ratio        median ${median(ratios).toFixed(2)} (runs ${spread(ratios, 2)}; target ≥ 0.80)`);
    log(`history events/message  median ${median(events).toFixed(3)} (runs ${spread(events, 3)}; target ≤ 0.10)`);
    log(`quota units/message     median ${median(units).toFixed(2)} (minimum ${minimumUnits.toFixed(2)}: one messages.get, history pages shared; target within 10%)`);
    log(`push→stored latency     p50 ${pct(lat, 50).toFixed(0)} ms, p99 ${pct(lat, 99).toFixed(0)} ms over ${lat.length} messages (target p99 < 300 ms)`);
    const results = {
      measuredAt: new Date().toISOString(),
      messagesPerRun: N,
      runs: RUNS,
      throughputRatio: median(ratios),
      throughputRatioRuns: ratios,
      rawMsgPerSec: median(rawRates),
      engineMsgPerSec: median(engineRates),
      rawMsgPerSecRuns: rawRates,
      engineMsgPerSecRuns: engineRates,
      rawQueriesPerMessage: median(queries),
      historyEventsPerMessage: median(events),
      quotaUnitsPerMessage: median(units),
      p50PushToStoredMs: pct(lat, 50),
      p99PushToStoredMs: pct(lat, 99),
    };
    mergeResults(results);
    log(`results: ${path.relative(process.cwd(), RESULTS_FILE)}`);
    writeChart(log);
  } finally {
    await stack.close();
  }
}

main().then(() => process.exit(0)).catch((err: unknown) => {
  process.stderr.write(`bench: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
