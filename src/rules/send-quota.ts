/** R16: the per-account send quota over a rolling 24 hours, decided before any provider call. */
import { toMillis } from './time';

export const SEND_WINDOW_MS = 24 * 60 * 60 * 1000;

export type SendQuotaCheck =
  | { ok: true; remaining: number }
  | { ok: false; code: 'SEND_LIMIT_REACHED'; limit: number; nextAllowedAt: string };

/** The sends still inside the window ending at `now` (a send exactly 24 h old has left it), oldest first. */
export function sendTimesInWindow(sentAt: readonly string[], now: string): string[] {
  const start = toMillis(now, 'now') - SEND_WINDOW_MS;
  return sentAt
    .map((iso) => ({ iso, ms: toMillis(iso, 'sentAt') }))
    .filter((send) => send.ms > start)
    .sort((a, b) => a.ms - b.ms)
    .map((send) => send.iso);
}

/**
 * Allows a send while fewer than `limit` sends fall in the last 24 h. When full, the next send is
 * allowed once enough of the oldest sends have aged out: 24 h after the one that frees the slot.
 */
export function checkSendQuota(input: { sentAt: readonly string[]; limit: number; now: string }): SendQuotaCheck {
  if (!Number.isInteger(input.limit) || input.limit < 1) throw new RangeError(`send limit must be a positive integer: ${input.limit}`);
  const inWindow = sendTimesInWindow(input.sentAt, input.now);
  if (inWindow.length < input.limit) return { ok: true, remaining: input.limit - inWindow.length };
  const freeing = inWindow[inWindow.length - input.limit] as string;
  const nextAllowedAt = new Date(toMillis(freeing, 'sentAt') + SEND_WINDOW_MS).toISOString();
  return { ok: false, code: 'SEND_LIMIT_REACHED', limit: input.limit, nextAllowedAt };
}
