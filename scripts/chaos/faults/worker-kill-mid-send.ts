import { crmSend, deliverMany, providerSentIds } from '../traffic';
import { injectFault, waitUntil } from './helpers';
import type { Fault } from './types';

export const workerKillMidSend: Fault = {
  name: 'worker-kill-mid-send',
  summary: 'the provider accepts a CRM send but holds its answer 3 s; the worker is SIGKILLed in between and a new one started',
  providers: ['gmail', 'outlook'],
  async run(ctx) {
    const { stack, ledger } = ctx;
    const sentBefore = await Promise.all(ctx.boxes.map(async (box) => (await providerSentIds(stack, box)).length));
    for (const box of ctx.boxes) await injectFault(ctx, box, { operation: { gmail: 'messages.send', graph: 'messages.send' }, delayResponseMs: 3000, count: 1 });
    for (const box of ctx.boxes) crmSend(stack, ledger, box, 'fault');
    const delivering = Promise.all(ctx.boxes.map((box) => deliverMany(stack, ledger, box, 'fault', 2)));
    const accepted = await waitUntil(async () => {
      const now = await Promise.all(ctx.boxes.map(async (box) => (await providerSentIds(stack, box)).length));
      return now.every((n, i) => n > sentBefore[i]!);
    }, 20_000, 50);
    if (!accepted) ledger.note('not every provider accepted the send within 20 s: the worker was killed anyway');
    ledger.mark('provider accepted');
    await stack.killWorker();
    await delivering;
    await stack.startWorker();
    ledger.mark('new worker ready');
  },
};
