import { injectFault, sleep, traffic } from './helpers';
import type { Fault } from './types';

export const provider5xx: Fault = {
  name: 'provider-5xx',
  summary: 'provider calls of the mailbox fail with 503 and 500 (40% each, 6 of each) while mail flows',
  providers: ['gmail', 'outlook'],
  async run(ctx) {
    for (const box of ctx.boxes) {
      await injectFault(ctx, box, { status: 503, probability: 0.4, count: 6 });
      await injectFault(ctx, box, { status: 500, probability: 0.4, count: 6 });
    }
    await traffic(ctx, 'fault', 4, 2);
    await sleep(4000);
    await traffic(ctx, 'fault', 1, 0);
  },
};
