import { faultsUsedNow, injectFault, traffic, untilFaultsUsed } from './helpers';
import type { Fault } from './types';

const STORM = 8;

export const provider429Storm: Fault = {
  name: 'provider-429-storm',
  summary: `half of the provider calls of the mailbox answer 429 with a retry time of 2 s (Gmail "Retry after", Graph Retry-After), ${STORM} of them, while mail flows`,
  providers: ['gmail', 'outlook'],
  async run(ctx) {
    const before = await faultsUsedNow(ctx);
    for (const box of ctx.boxes) await injectFault(ctx, box, { status: 429, probability: 0.5, count: STORM, retryAfterMs: 2000 });
    await traffic(ctx, 'fault', 4, 2);
    await untilFaultsUsed(ctx, before, STORM, 15_000);
    await traffic(ctx, 'fault', 1, 0);
  },
};
