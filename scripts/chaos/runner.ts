import { randomBytes } from 'node:crypto';
import { waitUntil } from './faults/helpers';
import type { Fault, IterationContext } from './faults/types';
import { Ledger, type Box } from './ledger';
import { connectFreshBox } from './mailboxes';
import { collectDiagnostics, type Diagnostics } from './diagnostics';
import { addCounts, measure, zeroCounts, type Counts } from './measure';
import { waitForQuiet, type Quiet } from './quiesce';
import type { ChaosStack } from './stack';
import { crmSend, deliverInbound, startThread } from './traffic';

const FAULT_RUN_TIMEOUT_MS = 180_000;
const BASELINE_WAIT_MS = 20_000;

export interface IterationResult {
  iteration: number;
  counts: Counts;
  quiet: Quiet | null;
  /** The iteration could not be driven as designed (e.g. the API refused to connect); its counts are partial. */
  error: string | null;
  notes: string[];
  marks: Record<string, number>;
  diagnostics: Diagnostics | null;
  /** From connect to the end of the traffic after the fault. */
  trafficMs: number;
  durationMs: number;
}

export interface FaultRow extends Counts {
  fault: string;
  iterations: number;
  /** Why the fault did not run. */
  skipped?: string;
  errors: number;
  timedOut: number;
  stalled: number;
  durationMs: number;
  runs: IterationResult[];
}

export async function runFault(stack: ChaosStack, fault: Fault, iterations: number): Promise<FaultRow> {
  const started = Date.now();
  const reason = fault.unsupported?.(stack) ?? null;
  const row: FaultRow = { fault: fault.name, iterations: 0, ...zeroCounts(), errors: 0, timedOut: 0, stalled: 0, durationMs: 0, runs: [] };
  if (reason) {
    stack.log(`${fault.name}: skipped: ${reason}`);
    return { ...row, skipped: reason };
  }
  for (let i = 1; i <= iterations; i++) {
    const result = await runIteration(stack, fault, i);
    row.runs.push(result);
    Object.assign(row, addCounts(row, result.counts));
    row.iterations += 1;
    if (result.error) row.errors += 1;
    if (result.quiet?.timedOut) row.timedOut += 1;
    if (result.quiet?.stalled) row.stalled += 1;
    stack.log(`${fault.name} ${i}/${iterations}: ${summary(result)}`);
  }
  row.durationMs = Date.now() - started;
  return row;
}

async function runIteration(stack: ChaosStack, fault: Fault, iteration: number): Promise<IterationResult> {
  const started = Date.now();
  const ledger = new Ledger();
  const crashesBefore = stack.crashes.length;
  let error: string | null = null;
  try {
    const tag = `${fault.name}-${iteration}-${randomBytes(3).toString('hex')}`;
    const boxes = await Promise.all(fault.providers.map((p) => connectFreshBox(stack, p, tag)));
    ledger.boxes.push(...boxes);
    ledger.mark('connected');
    const ctx: IterationContext = { stack, ledger, boxes, iteration };
    if (fault.connectTraffic !== false) await trafficAfterConnect(ctx);
    ledger.mark('connect traffic sent');
    await untilSyncing(ctx);
    ledger.mark('baseline stored');
    await bounded(fault.run(ctx), FAULT_RUN_TIMEOUT_MS, `${fault.name} did not finish its fault within ${FAULT_RUN_TIMEOUT_MS / 1000} s`);
    ledger.mark('fault over');
    await trafficAfterFault(ctx);
    ledger.mark('after-fault traffic sent');
  } catch (err) {
    error = (err as Error).message;
  } finally {
    await restore(stack, ledger);
  }
  const trafficMs = Date.now() - started;
  let quiet: Quiet | null = null;
  let counts = zeroCounts();
  let diagnostics: Diagnostics | null = null;
  try {
    quiet = await waitForQuiet(stack, ledger);
    // Counting reads send statuses through the API: it must be up (the supervisor may be restarting it).
    await stack.startApi();
    counts = await measure(stack, ledger);
    diagnostics = await collectDiagnostics(stack, ledger);
  } catch (err) {
    error ??= `counting failed: ${(err as Error).message}`;
  }
  for (const crash of stack.crashes.slice(crashesBefore)) {
    counts.crashes += 1;
    ledger.note(`${crash.process} pid ${crash.pid} exited on its own (${crash.how}) ${Math.round((crash.at - started) / 1000)} s into the iteration`);
  }
  await retire(stack, ledger);
  return { iteration, counts, quiet, error, notes: ledger.notes, marks: ledger.marks, diagnostics, trafficMs, durationMs: Date.now() - started };
}

/**
 * Once counted: clear what is left of the provider faults (they stay armed until then, so a send or sync
 * that comes late still meets them), and disconnect the iteration's mailboxes so their workflows
 * complete and stop polling during later iterations.
 */
async function retire(stack: ChaosStack, ledger: Ledger): Promise<void> {
  stack.gmail.control.clearFaults();
  await stack.graph.control.clearFaults();
  for (const box of ledger.boxes) {
    const res = await stack.api.call('DELETE', `/v1/connections/${box.connectionId}`);
    if (res.status !== 200) ledger.note(`${box.owner}: DELETE after counting answered ${res.status}`);
  }
}

/** Right after connect (without waiting for the first sync): the contact writes; on Outlook the CRM starts the thread first (R3). */
async function trafficAfterConnect(ctx: IterationContext): Promise<void> {
  await Promise.all(
    ctx.boxes.map(async (box) => {
      if (box.provider === 'outlook') await startThread(ctx.stack, ctx.ledger, box, 'connect');
      await deliverInbound(ctx.stack, ctx.ledger, box, 'connect');
    }),
  );
}

/**
 * The fault starts once every mailbox has its baseline cursor, so its row measures the fault and not
 * the first sync; the mail sent right after connect has already shown what happens before it.
 */
async function untilSyncing(ctx: IterationContext): Promise<void> {
  const has = async (box: Box) => {
    const row = await ctx.stack.db.selectFrom('sync_state').select('cursor').where('account_id', '=', box.accountId).executeTakeFirst();
    return Boolean(row && Object.keys(row.cursor).length > 0);
  };
  const ok = await waitUntil(async () => (await Promise.all(ctx.boxes.map(has))).every(Boolean), BASELINE_WAIT_MS, 100);
  if (!ok) ctx.ledger.note(`not every mailbox had a baseline cursor ${BASELINE_WAIT_MS / 1000} s after connect; the fault started anyway`);
}

/** Once the fault is over: one more message each way per mailbox. */
async function trafficAfterFault(ctx: IterationContext): Promise<void> {
  for (const box of ctx.boxes) crmSend(ctx.stack, ctx.ledger, box, 'after');
  await Promise.all(ctx.boxes.map((box) => deliverInbound(ctx.stack, ctx.ledger, box, 'after')));
}

/** Whatever a fault stopped is started again right after it, even when it failed half-way. */
async function restore(stack: ChaosStack, ledger: Ledger): Promise<void> {
  const steps: [string, () => Promise<unknown>][] = [
    ['release held pushes', async () => stack.relay.release()],
    ['start Postgres', () => stack.startPostgres()],
    ['start Temporal', () => stack.startTemporal()],
    ['start the API', () => stack.startApi()],
    ['start the worker', () => stack.startWorker()],
  ];
  for (const [name, step] of steps) {
    try {
      await step();
    } catch (err) {
      ledger.note(`restore: ${name} failed: ${(err as Error).message}`);
    }
  }
}

function bounded<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([promise, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(message)), ms)))]).finally(() => clearTimeout(timer));
}

function summary(r: IterationResult): string {
  const c = r.counts;
  const parts = [
    `expected ${c.expected}, stored ${c.stored}, lost ${c.lost}, duplicated ${c.duplicated}`,
    `sends ${c.sendsRequested}, accepted ${c.sendsAccepted}, doubled ${c.doubled}, false failures ${c.falseFailures}`,
    `${Math.round(r.durationMs / 1000)} s (traffic ${Math.round(r.trafficMs / 1000)} s, quiet wait ${Math.round((r.quiet?.waitedMs ?? 0) / 1000)} s)`,
  ];
  if (c.lost) parts.push(`lost after connect/during/after the fault ${c.lostByPhase.connect}/${c.lostByPhase.fault}/${c.lostByPhase.after}, ${c.lostBeforeBaseline} of them before the baseline cursor was stored`);
  if (c.crashes) parts.push(`${c.crashes} process crash(es)`);
  if (c.unexpected || c.sendsFailed || c.sendsPending) parts.push(`unexpected ${c.unexpected}, sends failed ${c.sendsFailed}, pending ${c.sendsPending}`);
  if (r.quiet?.timedOut) parts.push('quiet wait timed out');
  if (r.error) parts.push(`ERROR ${r.error}`);
  for (const note of r.notes) parts.push(`note: ${note}`);
  return parts.join('; ');
}
