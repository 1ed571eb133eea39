import { GRAPH_MAIL_SCOPES, sandboxMsalApp } from '@mailsync/provider-sandbox/microsoft';
import { TIMERS } from '../timers';
import { sleep, traffic } from './helpers';
import type { Fault, IterationContext } from './types';

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
    await checkAgedOut(ctx);
  },
};

/** The token the CRM connected with must be refused by now; if the sandbox still takes it, the row measured nothing. */
async function checkAgedOut(ctx: IterationContext): Promise<void> {
  for (const box of ctx.boxes) {
    const outcome = await sandboxMsalApp(ctx.stack.graph)
      .acquireTokenByRefreshToken({ refreshToken: box.refreshToken, scopes: GRAPH_MAIL_SCOPES })
      .then(
        () => 'still accepted',
        (err: unknown) => ((err as Error).message.includes('AADSTS700082') ? null : `refused otherwise: ${(err as Error).message.slice(0, 120)}`),
      );
    if (outcome) ctx.ledger.note(`${box.owner}: the refresh token the CRM connected with is ${outcome}; rotation was not exercised as intended`);
  }
}
