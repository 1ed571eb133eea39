import { TIMERS } from '../timers';
import { sleep, traffic } from './helpers';
import type { Fault } from './types';

const AGE_S = TIMERS.refreshTokenMaxAgeMs / 1000;

export const refreshTokenRotation: Fault = {
  name: 'refresh-token-rotation',
  summary: `Entra rotates the refresh token on every use and refuses one older than ${AGE_S} s; the mailbox syncs and sends through 2.5 token lifetimes, with the worker killed and replaced half-way (the new one must redeem the newest stored token)`,
  providers: ['outlook'],
  async run(ctx) {
    const started = Date.now();
    const until = started + 2.5 * TIMERS.refreshTokenMaxAgeMs;
    let killed = false;
    while (Date.now() < until) {
      await traffic(ctx, 'fault', 1, 1);
      if (!killed && Date.now() - started > 1.2 * TIMERS.refreshTokenMaxAgeMs) {
        killed = true;
        await ctx.stack.killWorker();
        await ctx.stack.startWorker();
        ctx.ledger.mark('worker replaced');
      }
      await sleep(4000);
    }
  },
};
