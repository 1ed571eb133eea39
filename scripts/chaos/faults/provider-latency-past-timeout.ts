import { TIMERS } from '../timers';
import { faultsUsedNow, injectFault, traffic, untilFaultsUsed } from './helpers';
import type { Fault } from './types';

const LATE_MS = TIMERS.activityTimeoutMs + 2000;

export const providerLatencyPastTimeout: Fault = {
  name: 'provider-latency-past-timeout',
  summary: `the next change listing and the next send of the mailbox take ${LATE_MS / 1000} s, past the ${TIMERS.activityTimeoutMs / 1000} s activity timeout (the send is handled after the wait)`,
  providers: ['gmail', 'outlook'],
  async run(ctx) {
    const before = await faultsUsedNow(ctx);
    for (const box of ctx.boxes) {
      await injectFault(ctx, box, { operation: { gmail: 'history.list', graph: 'messages.delta' }, latencyMs: LATE_MS, count: 1 });
      await injectFault(ctx, box, { operation: { gmail: 'messages.send', graph: 'messages.send' }, latencyMs: LATE_MS, count: 1 });
    }
    await traffic(ctx, 'fault', 3, 1);
    await untilFaultsUsed(ctx, before, 2, 30_000);
  },
};
