/** Provider quota pacing for one account, kept in workflow state (pure: no clock of its own). */
export interface UnitSample {
  at: number;
  units: number;
}

/** The window of pacings that name none (Gmail's per-minute quota, and every run recorded before windows were named). */
export const PACING_WINDOW_MS = 60_000;

/** Units spent in the window ending at `at`, plus this spend. */
export function recordUnits(samples: UnitSample[], at: number, units: number, windowMs = PACING_WINDOW_MS): UnitSample[] {
  return [...samples.filter((s) => s.at > at - windowMs), ...(units > 0 ? [{ at, units }] : [])];
}

/**
 * How long to wait before spending `next` more units so no window of `windowMs` holds more than
 * `budget`: the provider's own rolling window (Gmail: units per user per minute; Graph: requests per
 * mailbox per 10 minutes). Samples are recorded when a call has finished, later than the provider
 * counted its units, so the window they leave here is never earlier than the provider's: waiting for
 * the oldest to leave keeps the account under the limit without ever drawing a 429.
 */
export function delayBeforeSpending(samples: UnitSample[], now: number, next: number, budget: number, windowMs = PACING_WINDOW_MS): number {
  const live = samples.filter((s) => s.at > now - windowMs).sort((a, b) => a.at - b.at);
  let used = live.reduce((sum, s) => sum + s.units, 0);
  if (used + next <= budget) return 0;
  for (const s of live) {
    used -= s.units;
    if (used + next <= budget) return s.at + windowMs - now;
  }
  return windowMs;
}

/** The window a pacing spends in, and how many units it may spend in any such window. */
export function pacingWindow(pacing: { unitsPerMinute: number; share: number; windowMs?: number }): { windowMs: number; budget: number } {
  const windowMs = pacing.windowMs ?? PACING_WINDOW_MS;
  return { windowMs, budget: pacing.unitsPerMinute * pacing.share * (windowMs / PACING_WINDOW_MS) };
}
