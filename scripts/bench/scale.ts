/**
 * `npm run bench -- --scale N [--temporal cluster|dev]`: N Gmail sandbox mailboxes connected through
 * the API, then a notification storm (a message to every mailbox, then ten each to a tenth of them)
 * handled by two worker processes on one task queue. Halfway through the deliveries one worker is
 * SIGKILLed and the cluster's history service is killed and started again. Starts and stops
 * everything it needs (the cluster included) and writes `scale` (or `scaleDev`) into bench/results.json.
 */
import { parseArgs } from 'node:util';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { connectMailboxes } from './scale-connect';
import { latencyBreakdown } from './scale-breakdown';
import { historyEventsPerMailbox, startProbes } from './scale-probes';
import { writeScaleResults, type ScaleResults } from './scale-results';
import { scratchDir, startScaleStack, type TemporalKind } from './scale-stack';
import { runStorm, stormPlan } from './scale-storm';
import { startWorkerProcess, writeWorkflowBundle, type WorkerProcess } from './scale-workers';

const WORKERS = 2;

function options(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    strict: false,
    options: {
      scale: { type: 'string' },
      temporal: { type: 'string', default: 'cluster' },
      shards: { type: 'string', default: '4' },
      'connect-concurrency': { type: 'string', default: '16' },
      'storm-concurrency': { type: 'string', default: '32' },
      'no-faults': { type: 'boolean', default: false },
    },
  });
  const n = Number(values.scale);
  if (!Number.isInteger(n) || n < 10) throw new Error(`--scale must be a whole number of mailboxes ≥ 10, got ${String(values.scale)}`);
  if (values.temporal !== 'cluster' && values.temporal !== 'dev') throw new Error(`--temporal must be cluster or dev, got ${String(values.temporal)}`);
  return {
    mailboxes: n,
    temporal: values.temporal as TemporalKind,
    shards: Number(values.shards),
    connectConcurrency: Number(values['connect-concurrency']),
    stormConcurrency: Number(values['storm-concurrency']),
    faults: values['no-faults'] !== true,
  };
}

const pct = (sorted: number[], p: number) => (sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!);

export async function scaleBench(argv: string[], log: (line: string) => void): Promise<ScaleResults> {
  const opts = options(argv);
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  log(`mailsync scale bench: ${opts.mailboxes} Gmail sandbox mailboxes, ${WORKERS} worker processes, Temporal ${opts.temporal === 'cluster' ? `cluster (${opts.shards} history shards)` : 'dev server'}`);
  const scratch = scratchDir();
  const stack = await startScaleStack({ temporal: opts.temporal, shards: opts.shards, log });
  const workers: WorkerProcess[] = [];
  let finished = false;
  let cleaned: Promise<void> | null = null;
  const cleanup = () =>
    (cleaned ??= (async () => {
      for (const w of workers) await w.stop();
      await stack.close();
      // Kept after a failure: the workers' logs are in it.
      if (finished) scratch.remove();
    })());
  // Ctrl-C or a timeout's SIGTERM still stops the workers and the cluster and drops the database.
  const onSignal = () => void cleanup().finally(() => process.exit(130));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const bundle = await writeWorkflowBundle(scratch.dir);
    const started = await Promise.allSettled(Array.from({ length: WORKERS }, (_, i) => startWorkerProcess(stack, { name: `worker-${i + 1}`, bundle, dir: scratch.dir })));
    for (const s of started) if (s.status === 'fulfilled') workers.push(s.value);
    for (const s of started) if (s.status === 'rejected') throw s.reason;
    log(`workers: pids ${workers.map((w) => w.child.pid).join(', ')} (logs in ${scratch.dir}${stack.cluster ? `; cluster logs in ${stack.cluster.dir}` : ''})`);
    const probes = startProbes(stack, () => workers);

    log(`connecting ${opts.mailboxes} mailboxes (${opts.connectConcurrency} at a time)`);
    const connect = await connectMailboxes(stack, opts.mailboxes, opts.connectConcurrency, log);
    log(`  connected: API ${connect.apiSeconds.toFixed(1)} s, every baseline stored after ${connect.seconds.toFixed(1)} s: ${connect.connectPerSec.toFixed(1)} connects/s`);

    const plan = stormPlan(connect.mailboxes);
    const faults: string[] = [];
    const faultPlan = opts.faults ? `SIGKILL ${workers[0]!.name}${stack.cluster ? ', kill and restart the history service' : ''}` : 'no faults (--no-faults)';
    log(`storm: ${plan.length} messages (${opts.stormConcurrency} deliveries in flight); halfway: ${faultPlan}`);
    const storm = await runStorm(stack, plan, {
      concurrency: opts.stormConcurrency,
      log,
      midStorm: async () => {
        if (!opts.faults) return;
        await workers[0]!.kill();
        faults.push(`${workers[0]!.name} SIGKILLed`);
        log(`  mid-storm: ${workers[0]!.name} SIGKILLed`);
        if (stack.cluster) {
          const t = Date.now();
          await stack.cluster.restart('history', { kill: true });
          faults.push('history service SIGKILLed and restarted');
          log(`  mid-storm: history service killed and restarted (frontend answering again after ${((Date.now() - t) / 1000).toFixed(1)} s)`);
        }
      },
    });
    const readings = await probes.stop();
    const events = await historyEventsPerMailbox(stack, connect.mailboxes.map((m) => m.accountId));
    const breakdown = await latencyBreakdown(stack, storm.lone);
    const msgPerSec = storm.messages / storm.drainSeconds;
    const results: ScaleResults = {
      measuredAt: new Date().toISOString(),
      temporal: opts.temporal,
      workers: WORKERS,
      mailboxes: opts.mailboxes,
      connectPerSec: round(connect.connectPerSec, 1),
      stormMessages: storm.messages,
      stormP50Ms: Math.round(pct(storm.latenciesMs, 50)),
      stormP99Ms: Math.round(pct(storm.latenciesMs, 99)),
      stormBreakdown: breakdown,
      drainSeconds: round(storm.drainSeconds, 1),
      workerRssMaxMb: Math.round(readings.workerRssMaxMb),
      pgConnections: readings.pgConnections,
      pgConnectionsByDatabase: readings.pgConnectionsByDatabase,
      historyEventsPerMailbox: round(events, 1),
      lost: storm.lost,
      duplicated: storm.duplicated,
      faults: storm.midStormError ? [...faults, `failed: ${storm.midStormError}`] : faults,
      series: [{ mailboxes: opts.mailboxes, msgPerSec: round(msgPerSec, 1), p99Ms: Math.round(pct(storm.latenciesMs, 99)) }],
    };
    log('');
    log(`connects/s              ${results.connectPerSec} (through the API until every baseline is stored)`);
    log(`storm                   ${storm.messages} messages stored in ${results.drainSeconds} s (${results.series[0]!.msgPerSec} msg/s)`);
    log(`delivered → stored      p50 ${results.stormP50Ms} ms, p99 ${results.stormP99Ms} ms (target p99 < 2 s)`);
    log(
      `  of which (${breakdown.sampled} lone deliveries) delivered → notify signal p50 ${breakdown.toSignalMs.p50} / p99 ${breakdown.toSignalMs.p99} ms, ` +
        `signal → page started ${breakdown.toPageStartMs.p50} / ${breakdown.toPageStartMs.p99} ms, page started → stored ${breakdown.toStoredMs.p50} / ${breakdown.toStoredMs.p99} ms`,
    );
    log(`worker RSS max          ${results.workerRssMaxMb} MiB (target < 1 GiB)`);
    log(`Postgres connections    ${results.pgConnections} at most (${Object.entries(results.pgConnectionsByDatabase).map(([d, n]) => `${d} ${n}`).join(', ')})`);
    log(`history events/mailbox  ${results.historyEventsPerMailbox} (current runs, sampled)`);
    log(`lost / duplicated       ${results.lost} / ${results.duplicated} (faults: ${results.faults.join('; ') || 'none'})`);
    writeScaleResults(results, log);
    finished = true;
    return results;
  } finally {
    await cleanup();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

const round = (x: number, digits: number) => Number(x.toFixed(digits));
