import { randomBytes } from 'node:crypto';
import type { Fault, IterationContext } from './faults/types';
import { Ledger } from './ledger';
import { connectFreshBox } from './mailboxes';
import { addCounts, measure, zeroCounts, type Counts } from './measure';
import { waitForQuiet, type Quiet } from './quiesce';
import type { ChaosStack } from './stack';
import { crmSend, deliverInbound, startThread } from './traffic';

const FAULT_RUN_TIMEOUT_MS = 180_000;

export interface IterationResult {
  iteration: number;
  counts: Counts;
  quiet: Quiet | null;
  /** The iteration could not be driven as designed (e.g. the API refused to connect); its counts are partial. */
  error: string | null;
  notes: string[];
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
  let error: string | null = null;
  try {
    const tag = `${fault.name}-${iteration}-${randomBytes(3).toString('hex')}`;
    const boxes = await Promise.all(fault.providers.map((p) => connectFreshBox(stack, p, tag)));
    ledger.boxes.push(...boxes);
    const ctx: IterationContext = { stack, ledger, boxes, iteration };
    if (fault.connectTraffic !== false) await trafficAfterConnect(ctx);
    await bounded(fault.run(ctx), FAULT_RUN_TIMEOUT_MS, `${fault.name} did not finish its fault within ${FAULT_RUN_TIMEOUT_MS / 1000} s`);
    await trafficAfterFault(ctx);
  } catch (err) {
    error = (err as Error).message;
  } finally {
    await restore(stack, ledger);
  }
  let quiet: Quiet | null = null;
  let counts = zeroCounts();
  try {
    quiet = await waitForQuiet(stack, ledger);
    counts = await measure(stack, ledger);
  } catch (err) {
    error ??= `counting failed: ${(err as Error).message}`;
  }
  return { iteration, counts, quiet, error, notes: ledger.notes, durationMs: Date.now() - started };
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

/** Once the fault is over: one more message each way per mailbox. */
async function trafficAfterFault(ctx: IterationContext): Promise<void> {
  for (const box of ctx.boxes) crmSend(ctx.stack, ctx.ledger, box, 'after');
  await Promise.all(ctx.boxes.map((box) => deliverInbound(ctx.stack, ctx.ledger, box, 'after')));
}

/** Whatever a fault left broken is put back before the next iteration, even when it failed half-way. */
async function restore(stack: ChaosStack, ledger: Ledger): Promise<void> {
  const steps: [string, () => Promise<unknown>][] = [
    ['clear Gmail faults', async () => stack.gmail.control.clearFaults()],
    ['clear Graph faults', () => stack.graph.control.clearFaults()],
    ['release held pushes', async () => stack.relay.release()],
    ['start Postgres', () => stack.startPostgres()],
    ['start Temporal', () => stack.startTemporal()],
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
    `${Math.round(r.durationMs / 1000)} s`,
  ];
  if (r.quiet?.timedOut) parts.push('quiet wait timed out');
  if (r.error) parts.push(`ERROR ${r.error}`);
  for (const note of r.notes) parts.push(`note: ${note}`);
  return parts.join('; ');
}
