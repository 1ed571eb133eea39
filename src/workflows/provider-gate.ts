import { condition, patched, sleep } from '@temporalio/workflow';
import { createFifoLock } from './fifo-lock';
import { delayBeforeSpending, pacingWindow, recordUnits } from './pacing';
import type { MailboxPacing, MailboxState } from './state';

/** Runs one provider call of the account, `estimate` being the quota units it may spend. */
export type ProviderGate = <T extends { units: number }>(estimate: number, fn: () => Promise<T>) => Promise<T>;

/**
 * Every provider call of the account passes here: one activity at a time, and no more quota units
 * per quota window than the account's budget (estimated before, recorded after), so the provider never
 * has to answer 429. One activity at a time makes the provider's concurrency limit (Graph: 4
 * requests per mailbox) the activity's own bound, whatever the load of sends and pushes.
 *
 * Create it once, at the workflow's start, before any handler is set: runs recorded before the FIFO
 * lock waited on a flag, which let every waiter through at once, and the patch that tells them apart
 * is asked there; they replay as they ran.
 */
export function createProviderGate(state: MailboxState, pacing: MailboxPacing): ProviderGate {
  const fifo = patched('fifo-provider-lock');
  const withLock = createFifoLock();
  let providerBusy = false;
  const { windowMs, budget } = pacingWindow(pacing);

  async function paced<T extends { units: number }>(estimate: number, fn: () => Promise<T>): Promise<T> {
    const wait = delayBeforeSpending(state.unitSamples, Date.now(), estimate, budget, windowMs);
    if (wait > 0) await sleep(wait);
    const result = await fn();
    state.unitSamples = recordUnits(state.unitSamples, Date.now(), result.units, windowMs);
    return result;
  }

  return async function exclusive<T extends { units: number }>(estimate: number, fn: () => Promise<T>): Promise<T> {
    if (fifo) return withLock(() => paced(estimate, fn));
    await condition(() => !providerBusy);
    providerBusy = true;
    try {
      return await paced(estimate, fn);
    } finally {
      providerBusy = false;
    }
  };
}
