import { faultsUsed, injectFault, traffic, waitUntil } from './helpers';
import type { Fault } from './types';

const BURST = 8;

export const workerKillMidSync: Fault = {
  name: 'worker-kill-mid-sync',
  summary: 'SIGKILL the worker while a page of incoming mail is being read and applied (each read slowed to 1 s), then start a new worker',
  providers: ['gmail', 'outlook'],
  async run(ctx) {
    const before = await Promise.all(ctx.boxes.map((box) => faultsUsed(ctx, box)));
    // Slow each message read of the burst so one page takes seconds and the kill lands inside it.
    for (const box of ctx.boxes) await injectFault(ctx, box, { operation: { gmail: 'messages.get', graph: 'messages.mime' }, latencyMs: 1000, count: BURST });
    await traffic(ctx, 'fault', BURST, 1);
    const reading = await waitUntil(async () => {
      const used = await Promise.all(ctx.boxes.map((box) => faultsUsed(ctx, box)));
      return used.some((n, i) => n > before[i]!);
    }, 20_000, 50);
    if (!reading) ctx.ledger.note('no slowed read started within 20 s: the worker was killed outside a page');
    await ctx.stack.killWorker();
    await ctx.stack.startWorker();
  },
};
