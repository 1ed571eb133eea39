import { sleep, traffic, untilCursorExpirySeen } from './helpers';
import type { Fault } from './types';

export const cursorExpiryGmail: Fault = {
  name: 'cursor-expiry-gmail',
  summary: 'Gmail forgets the history before now (history.list answers 404 for the stored start) while mail keeps arriving',
  providers: ['gmail'],
  async run(ctx) {
    const [box] = ctx.boxes;
    await traffic(ctx, 'fault', 2, 0);
    await sleep(1000);
    // Two more that the expiry catches before they are synced, then more after it.
    await traffic(ctx, 'fault', 2, 0);
    ctx.stack.gmail.control.expireHistory(box!.owner);
    await traffic(ctx, 'fault', 2, 1);
    await untilCursorExpirySeen(ctx, box!);
  },
};
