import { sql } from 'kysely';
import type { FaultSpec } from '@mailsync/provider-sandbox';
import type { GmailMethod } from '@mailsync/provider-sandbox/gmail';
import type { Box, Phase } from '../ledger';
import { crmSend, deliverMany } from '../traffic';
import type { IterationContext } from './types';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls until `fn` is true or the time is up; says which. */
export async function waitUntil(fn: () => Promise<boolean> | boolean, timeoutMs: number, intervalMs = 100): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if (await fn()) return true;
    } catch {
      // not yet (the stack may be mid-fault)
    }
    await sleep(intervalMs);
  }
  return false;
}

/** A fault in the sandboxes' one vocabulary, its operation named per provider (their API names differ). */
export interface ProviderFault extends Omit<FaultSpec, 'mailbox' | 'operation'> {
  operation?: { gmail: GmailMethod; graph: string };
}

export async function injectFault(ctx: IterationContext, box: Box, f: ProviderFault): Promise<void> {
  const { operation, ...rest } = f;
  const spec: FaultSpec = { ...rest, mailbox: box.owner, ...(operation ? { operation: box.provider === 'gmail' ? operation.gmail : operation.graph } : {}) };
  if (box.provider === 'gmail') ctx.stack.gmail.control.injectFaults(spec);
  else await ctx.stack.graph.control.injectFaults(spec);
}

/** Mail both ways on every mailbox of the iteration: `inbound` messages from the contact and `sends` CRM sends. */
export async function traffic(ctx: IterationContext, phase: Phase, inbound: number, sends: number): Promise<void> {
  for (const box of ctx.boxes) for (let i = 0; i < sends; i++) crmSend(ctx.stack, ctx.ledger, box, phase);
  await Promise.all(ctx.boxes.map((box) => deliverMany(ctx.stack, ctx.ledger, box, phase, inbound)));
}

/** Faults the sandboxes count as used up for a mailbox so far. */
export async function faultsUsed(ctx: IterationContext, box: Box): Promise<number> {
  if (box.provider === 'gmail') return ctx.stack.gmail.control.counters(box.owner).faultsInjected;
  return (await ctx.stack.graph.control.counters(box.owner)).faultsInjected;
}

/**
 * Waits until each mailbox has used `n` more injected faults than `before` (the calls they hit have
 * happened), at most `timeoutMs`; notes the shortfall, so a fault that never bit is visible in the report.
 */
export async function untilFaultsUsed(ctx: IterationContext, before: number[], n: number, timeoutMs: number): Promise<void> {
  const used = async () => Promise.all(ctx.boxes.map((box) => faultsUsed(ctx, box)));
  await waitUntil(async () => (await used()).every((u, i) => u - before[i]! >= n), timeoutMs, 200);
  const final = await used();
  ctx.boxes.forEach((box, i) => {
    const got = final[i]! - before[i]!;
    if (got < n) ctx.ledger.note(`${box.provider}: ${got} of ${n} injected faults were hit within ${timeoutMs / 1000} s`);
  });
}

export const faultsUsedNow = (ctx: IterationContext): Promise<number[]> => Promise.all(ctx.boxes.map((box) => faultsUsed(ctx, box)));

/** Waits (bounded) until the account has written a `sync.cursor_expired` event, and notes it if it never did: the fault did not bite. */
export async function untilCursorExpirySeen(ctx: IterationContext, box: Box, timeoutMs = 20_000): Promise<void> {
  const seen = await waitUntil(async () => {
    const row = await ctx.stack.db
      .selectFrom('events')
      .select('id')
      .where('type', '=', 'sync.cursor_expired')
      .where(sql<string>`payload->>'accountId'`, '=', box.accountId)
      .executeTakeFirst();
    return Boolean(row);
  }, timeoutMs, 250);
  if (!seen) ctx.ledger.note(`${box.owner}: no sync.cursor_expired event within ${timeoutMs / 1000} s: the expiry was not met`);
}
