import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import type { ScaleMailbox } from './scale-connect';
import type { LoneDelivery } from './scale-breakdown';
import type { ScaleStack } from './scale-stack';

export interface StormOptions {
  /** Deliveries in flight at once. */
  concurrency: number;
  /** Called once, without waiting, when half the storm has been delivered. */
  midStorm: () => Promise<void>;
  log: (line: string) => void;
}

export interface StormOutcome {
  messages: number;
  /** From the first delivery until every delivered message is stored (or the wait gave up). */
  drainSeconds: number;
  /** Delivered into the sandbox mailbox → its row in `messages`, ascending. */
  latenciesMs: number[];
  lost: number;
  duplicated: number;
  midStormError: string | null;
  /** Stored deliveries to mailboxes that got only that one message in the storm. */
  lone: LoneDelivery[];
}

/** How long the drain may go without a message stored before the rest count as lost. */
const STALL_MS = 300_000;

/** A message to every mailbox, then ten each to a tenth of them: who gets mail, in delivery order. */
export function stormPlan(mailboxes: ScaleMailbox[]): ScaleMailbox[] {
  const plan = [...mailboxes];
  for (const m of mailboxes.slice(0, Math.max(1, Math.floor(mailboxes.length / 10)))) for (let k = 0; k < 10; k++) plan.push(m);
  return plan;
}

async function storedCount(stack: ScaleStack): Promise<number> {
  const row = await stack.db.selectFrom('messages').select((eb) => eb.fn.countAll<string>().as('n')).where('source', '=', 'contact').executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Delivers the plan into the sandbox (each delivery pushes to the API, which signals the mailbox's
 * workflow), runs the mid-storm faults at the halfway mark, waits for every message to be stored,
 * then reads every stored row: latency from delivery to row, lost (delivered, no row) and duplicated
 * (more than one row for one delivered message).
 */
export async function runStorm(stack: ScaleStack, plan: ScaleMailbox[], opts: StormOptions): Promise<StormOutcome> {
  const delivered = new Map<string, number>();
  const mailboxOf = new Map<string, string>();
  const perMailbox = new Map<string, number>();
  for (const m of plan) perMailbox.set(m.accountId, (perMailbox.get(m.accountId) ?? 0) + 1);
  const start = performance.now();
  const startEpoch = Date.now();
  let next = 0;
  let midStorm: Promise<string | null> | null = null;
  const lane = async () => {
    for (let i = next++; i < plan.length; i = next++) {
      const m = plan[i]!;
      const sent = await stack.sandbox.control.deliver(m.owner, { from: m.contact, to: [m.owner], subject: `storm ${i}`, text: `storm message ${i}` });
      delivered.set(sent.messageId, Date.now());
      mailboxOf.set(sent.messageId, m.accountId);
      if (delivered.size === Math.floor(plan.length / 2) && !midStorm) {
        midStorm = opts.midStorm().then(() => null, (err: unknown) => (err as Error).message);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(opts.concurrency, plan.length) }, lane));
  opts.log(`  ${plan.length} messages delivered in ${((performance.now() - start) / 1000).toFixed(1)} s`);
  // Gives up only when nothing more was stored for STALL_MS: a slow machine drains slowly, a stuck one not at all.
  let stored = 0;
  let lastLog = Date.now();
  let progressAt = Date.now();
  let previous = -1;
  while ((stored = await storedCount(stack)) < plan.length && Date.now() - progressAt < STALL_MS) {
    if (stored > previous) [previous, progressAt] = [stored, Date.now()];
    if (Date.now() - lastLog > 15_000) {
      opts.log(`  ${stored} of ${plan.length} stored (${((performance.now() - start) / 1000).toFixed(0)} s)`);
      lastLog = Date.now();
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  const drainSeconds = (performance.now() - start) / 1000;
  const midStormError = await (midStorm ?? Promise.resolve(null));
  const rows = await sql<{ id: string; at: string }>`
    select provider_message_id as id, (extract(epoch from created_at) * 1000)::bigint as at
    from messages where source = 'contact' and created_at >= to_timestamp(${startEpoch / 1000})`.execute(stack.db);
  const firstStored = new Map<string, number>();
  let duplicated = 0;
  for (const row of rows.rows) {
    if (firstStored.has(row.id)) duplicated++;
    else firstStored.set(row.id, Number(row.at));
  }
  const latenciesMs: number[] = [];
  const lone: LoneDelivery[] = [];
  let lost = 0;
  for (const [id, at] of delivered) {
    const storedAt = firstStored.get(id);
    if (storedAt === undefined) lost++;
    else latenciesMs.push(Math.max(0, storedAt - at));
    const accountId = mailboxOf.get(id)!;
    if (storedAt !== undefined && perMailbox.get(accountId) === 1) lone.push({ accountId, deliveredAt: at, storedAt });
  }
  return { messages: plan.length, drainSeconds, latenciesMs: latenciesMs.sort((a, b) => a - b), lost, duplicated, midStormError, lone };
}
