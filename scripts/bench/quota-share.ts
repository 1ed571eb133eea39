/**
 * What a drained backlog is measured against (pure). The quota-bound rate is the provider's limit over
 * its window divided by the fewest units a synced message can cost; the share is the rate achieved over
 * it. A rolling window also lets a client spend a whole window at once, so a backlog of a few windows
 * can drain a little faster than the long-run rate: `windowBoundMs`, the soonest the window lets the
 * backlog's minimum units be spent at all (whole windows after the first), says how much.
 */
export interface QuotaDrain {
  messages: number;
  ms: number;
  /** Provider limit per window, in its units (Gmail units, Graph requests). */
  limit: number;
  windowMs: number;
  minimumUnitsPerMessage: number;
}

export interface QuotaShare {
  msgPerSec: number;
  quotaBoundMsgPerSec: number;
  share: number;
  /** The soonest the rolling window allows the backlog's minimum units to be spent; 0 when they fit one window. */
  windowBoundMs: number;
}

export function quotaShare(d: QuotaDrain): QuotaShare {
  const msgPerSec = (d.messages / d.ms) * 1000;
  const quotaBoundMsgPerSec = (d.limit / d.minimumUnitsPerMessage / d.windowMs) * 1000;
  const windows = Math.ceil((d.messages * d.minimumUnitsPerMessage) / d.limit);
  return { msgPerSec, quotaBoundMsgPerSec, share: msgPerSec / quotaBoundMsgPerSec, windowBoundMs: Math.max(0, windows - 1) * d.windowMs };
}
