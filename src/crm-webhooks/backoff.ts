/**
 * When a failed webhook delivery is tried again, and when the endpoint gives up. Pure: the caller
 * passes the clock and the random number. Exponential from `initialMs`, doubling up to `maxMs`,
 * with equal jitter (half fixed, half random) so endpoints that failed together do not retry in step.
 * The streak gives up once `giveUpMs` has passed since its first failure; the last try falls on that
 * deadline, never after it.
 */
export interface RetryPolicy {
  initialMs: number;
  maxMs: number;
  giveUpMs: number;
}

/** Standard Webhooks' advice: retries over about a day, spaced out to an hour. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { initialMs: 5_000, maxMs: 3_600_000, giveUpMs: 86_400_000 };

export type AfterFailure = { giveUp: true } | { giveUp: false; retryInMs: number };

/** The delay before attempt `attempt + 1`, after `attempt` (1-based) failed attempts. */
export function retryDelayMs(attempt: number, policy: Pick<RetryPolicy, 'initialMs' | 'maxMs'>, random: number): number {
  const exponent = Math.min(Math.max(attempt, 1) - 1, 40);
  const base = Math.min(policy.maxMs, policy.initialMs * 2 ** exponent);
  return Math.round(base / 2 + (base / 2) * Math.min(Math.max(random, 0), 1));
}

export function afterFailure(opts: { attempt: number; failingSinceMs: number; nowMs: number; policy: RetryPolicy; random: number }): AfterFailure {
  const deadline = opts.failingSinceMs + opts.policy.giveUpMs;
  if (opts.nowMs >= deadline) return { giveUp: true };
  return { giveUp: false, retryInMs: Math.min(retryDelayMs(opts.attempt, opts.policy, opts.random), deadline - opts.nowMs) };
}
