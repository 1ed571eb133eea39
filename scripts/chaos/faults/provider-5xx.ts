import { faultsUsedNow, injectFault, traffic, untilFaultsUsed } from './helpers';
import type { Fault } from './types';

const EACH = 4;

export const provider5xx: Fault = {
  name: 'provider-5xx',
  summary: `provider calls of the mailbox fail with 503 and 500 (40% each, ${EACH} of each) while mail flows`,
  providers: ['gmail', 'outlook'],
  async run(ctx) {
    const before = await faultsUsedNow(ctx);
    for (const box of ctx.boxes) {
      await injectFault(ctx, box, { status: 503, probability: 0.4, count: EACH });
      await injectFault(ctx, box, { status: 500, probability: 0.4, count: EACH });
    }
    await traffic(ctx, 'fault', 4, 2);
    await untilFaultsUsed(ctx, before, 2 * EACH, 15_000);
    await traffic(ctx, 'fault', 1, 0);
  },
};
