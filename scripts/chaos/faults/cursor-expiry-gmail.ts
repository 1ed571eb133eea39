import { sleep, traffic } from './helpers';
import type { Fault } from './types';

export const cursorExpiryGmail: Fault = {
  name: 'cursor-expiry-gmail',
  summary: 'Gmail forgets the history before now (history.list answers 404 for the stored start) while mail keeps arriving',
  providers: ['gmail'],
  async run(ctx) {
    const [box] = ctx.boxes;
    await traffic(ctx, 'fault', 2, 0);
    await sleep(1000);
    ctx.stack.gmail.control.expireHistory(box!.owner);
    await traffic(ctx, 'fault', 3, 1);
  },
};
