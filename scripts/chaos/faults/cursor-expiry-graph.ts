import { sleep, traffic, untilCursorExpirySeen } from './helpers';
import type { Fault } from './types';

export const cursorExpiryGraph: Fault = {
  name: 'cursor-expiry-graph',
  summary: 'Graph drops the delta tokens of the mailbox (delta answers 410 SyncStateNotFound) while replies keep arriving',
  providers: ['outlook'],
  async run(ctx) {
    const [box] = ctx.boxes;
    await traffic(ctx, 'fault', 2, 0);
    await sleep(1000);
    // Two more that the expiry catches before they are synced, then more after it.
    await traffic(ctx, 'fault', 2, 0);
    await ctx.stack.graph.control.expireDeltaTokens(box!.owner);
    await traffic(ctx, 'fault', 2, 1);
    await untilCursorExpirySeen(ctx, box!);
  },
};
