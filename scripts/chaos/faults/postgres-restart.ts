import { sleep, traffic } from './helpers';
import type { Fault } from './types';

export const postgresRestart: Fault = {
  name: 'postgres-restart',
  summary: 'stop Postgres for 3 s while mail arrives and the CRM sends, then start it again on the same data',
  providers: ['gmail', 'outlook'],
  async run(ctx) {
    await traffic(ctx, 'fault', 2, 1);
    await ctx.stack.stopPostgres();
    await traffic(ctx, 'fault', 2, 1);
    await sleep(3000);
    await ctx.stack.startPostgres();
    await traffic(ctx, 'fault', 1, 0);
  },
};
