/** Provider quota pacing for one account, kept in workflow state (pure: no clock of its own). */
export interface UnitSample {
  at: number;
  units: number;
}

export const PACING_WINDOW_MS = 60_000;

export function recordUnits(samples: UnitSample[], at: number, units: number): UnitSample[] {
  return [...samples.filter((s) => s.at > at - PACING_WINDOW_MS), ...(units > 0 ? [{ at, units }] : [])];
}

/**
 * How long to wait before spending `next` more units so the last minute stays within `budget`.
 * Waiting for the oldest samples to leave the window keeps the account under the provider's limit
 * without ever drawing a 429.
 */
export function delayBeforeSpending(samples: UnitSample[], now: number, next: number, budget: number): number {
  const live = samples.filter((s) => s.at > now - PACING_WINDOW_MS).sort((a, b) => a.at - b.at);
  let used = live.reduce((sum, s) => sum + s.units, 0);
  if (used + next <= budget) return 0;
  for (const s of live) {
    used -= s.units;
    if (used + next <= budget) return s.at + PACING_WINDOW_MS - now;
  }
  return PACING_WINDOW_MS;
}
