/**
 * Figures about the mailboxes, read from Postgres at scrape time and shaped here into metric values.
 * Pure: the rows come in, the values go out, so the shaping is unit-tested without a database.
 */
import type { LagBucketRow, MailboxCountRow } from '../db/repositories/account-figures';
import type { AccountStatus } from '../db/schema';
import type { Provider } from '../provider';

// Records keyed by the types, so a new provider or status fails to compile until it is listed here.
const PROVIDER_KEYS: Record<Provider, true> = { gmail: true, outlook: true };
const STATUS_KEYS: Record<AccountStatus, true> = { active: true, backing_off: true, needs_reauth: true, disconnected: true };
export const PROVIDERS = Object.keys(PROVIDER_KEYS) as Provider[];
export const MAILBOX_STATUSES = Object.keys(STATUS_KEYS) as AccountStatus[];

/** Every provider and status, zero where no mailbox is, so a series drops to 0 instead of vanishing. */
export function mailboxCounts(rows: readonly MailboxCountRow[]): MailboxCountRow[] {
  return PROVIDERS.flatMap((provider) =>
    MAILBOX_STATUSES.map((status) => ({
      provider,
      status,
      count: rows.filter((r) => r.provider === provider && r.status === status).reduce((n, r) => n + r.count, 0),
    })),
  );
}

export interface HistogramValue {
  metricName: string;
  labels: Record<string, string | number>;
  value: number;
}

/** Prometheus histogram values (cumulative `_bucket` per `le`, `_sum`, `_count`) per provider. */
export function lagHistogramValues(name: string, bounds: readonly number[], rows: readonly LagBucketRow[]): HistogramValue[] {
  return PROVIDERS.flatMap((provider) => {
    const mine = rows.filter((r) => r.provider === provider);
    const inBucket = (i: number) => mine.filter((r) => r.bucket === i).reduce((n, r) => n + r.count, 0);
    let cumulative = 0;
    const buckets = [...bounds, '+Inf' as const].map((le, i) => {
      cumulative += inBucket(i);
      return { metricName: `${name}_bucket`, labels: { le, provider }, value: cumulative };
    });
    const sum = mine.reduce((s, r) => s + r.sum, 0);
    return [...buckets, { metricName: `${name}_sum`, labels: { provider }, value: sum }, { metricName: `${name}_count`, labels: { provider }, value: cumulative }];
  });
}
