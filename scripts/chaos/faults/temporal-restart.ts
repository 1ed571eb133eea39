import { sleep, traffic } from './helpers';
import type { Fault } from './types';

export const temporalRestart: Fault = {
  name: 'temporal-restart',
  summary: 'stop the Temporal server (same port and database file) for 3 s while mail arrives and the CRM sends, then start it again',
  providers: ['gmail', 'outlook'],
  async run(ctx) {
    await traffic(ctx, 'fault', 2, 1);
    await ctx.stack.stopTemporal();
    await traffic(ctx, 'fault', 2, 1);
    await sleep(3000);
    await ctx.stack.startTemporal();
    await traffic(ctx, 'fault', 1, 0);
  },
};
