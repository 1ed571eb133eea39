import { asyncLocalStorage, Context } from '@temporalio/activity';
import { newMeter, type CallMeter } from '../providers/types';

/** What an attempt's heartbeats carry: the provider calls and quota units spent so far, earlier attempts included. */
interface SpentSoFar {
  calls: number;
  units: number;
}

const meters = new WeakMap<Context, CallMeter>();

function spentIn(details: unknown): SpentSoFar {
  const d = details as Partial<SpentSoFar> | null | undefined;
  const n = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : 0);
  return { calls: n(d?.calls), units: n(d?.units) };
}

/**
 * The meter of a heartbeating activity's provider calls. It starts from what earlier attempts of the
 * same activity had spent at their last heartbeat (an attempt timed out or failed still spent quota
 * units the provider counted), and the heartbeats carry it on. So the units the activity reports, and
 * the workflow paces the account by, include its lost attempts. Outside an activity it is a new meter.
 */
export function attemptMeter(): CallMeter {
  const ctx = asyncLocalStorage.getStore();
  if (!ctx) return newMeter();
  const meter = spentIn(ctx.info.heartbeatDetails);
  meters.set(ctx, meter);
  return meter;
}

/**
 * Runs an activity while heartbeating a few times per heartbeat timeout, so a worker that dies mid-activity
 * (SIGKILL, a lost machine) has its attempt timed out and retried elsewhere after the heartbeat timeout,
 * not after the whole start-to-close timeout. Each heartbeat carries the attempt's meter (attemptMeter).
 * Without a heartbeat timeout on the attempt it only runs `fn`.
 */
export function heartbeating<I extends unknown[], O>(fn: (...input: I) => Promise<O>): (...input: I) => Promise<O> {
  return async (...input: I) => {
    const ctx = Context.current();
    const timeoutMs = ctx.info.heartbeatTimeoutMs;
    if (!timeoutMs) return fn(...input);
    const beat = setInterval(() => {
      const meter = meters.get(ctx);
      ctx.heartbeat(meter ? ({ calls: meter.calls, units: meter.units } satisfies SpentSoFar) : undefined);
    }, Math.max(250, Math.floor(timeoutMs / 4)));
    try {
      return await fn(...input);
    } finally {
      clearInterval(beat);
    }
  };
}
