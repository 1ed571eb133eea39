/**
 * Read-only figures over accounts and their sync state, for the metrics a scrape collects: each one
 * query that aggregates in Postgres and returns a handful of rows, however many mailboxes there are.
 */
import { sql } from 'kysely';
import type { Provider } from '../../provider';
import type { DbOrTrx } from '../client';
import type { AccountStatus } from '../schema';

export interface MailboxCountRow {
  provider: Provider;
  status: AccountStatus;
  count: number;
}

/**
 * Mailboxes per lag bucket, as Postgres's `width_bucket(lag, bounds)` numbers them: 0 below the first
 * bound, i from bound i up to the next, bounds.length at or above the last.
 */
export interface LagBucketRow {
  provider: Provider;
  bucket: number;
  count: number;
  /** Seconds of lag summed over the bucket's mailboxes. */
  sum: number;
}

export async function countMailboxes(db: DbOrTrx): Promise<MailboxCountRow[]> {
  return db
    .selectFrom('accounts')
    .select(['provider', 'status', sql<number>`count(*)::int`.as('count')])
    .groupBy(['provider', 'status'])
    .execute();
}

/**
 * Mailboxes that sync (active or backing off) per provider and lag bucket (`width_bucket` over
 * `boundsSeconds`); lag is the time since the last page applied, or since connect before the first.
 */
export async function syncLagBuckets(db: DbOrTrx, boundsSeconds: readonly number[]): Promise<LagBucketRow[]> {
  const { rows } = await sql<LagBucketRow>`
    select a.provider, width_bucket(l.lag, ${[...boundsSeconds]}::float8[]) as bucket, count(*)::int as count, sum(l.lag)::float8 as sum
    from accounts a
    join sync_state s on s.account_id = a.id
    cross join lateral (select greatest(0, extract(epoch from now() - coalesce(s.last_synced_at, s.baseline_at)))::float8 as lag) l
    where a.status in ('active', 'backing_off')
    group by 1, 2`.execute(db);
  return rows;
}
