import { sql } from 'kysely';
import type { DbOrTrx } from '../client';

/** How long a key is remembered (documented in the API): after that the same key starts a new request. */
export const IDEMPOTENCY_KEY_TTL_HOURS = 24;
const expiry = sql<Date>`now() - make_interval(hours => ${IDEMPOTENCY_KEY_TTL_HOURS})`;

/** What an earlier request with this Idempotency-Key (within the last 24 h) asked for, the message it made and its response once known. */
export async function findIdempotencyKey(db: DbOrTrx, scope: string, key: string) {
  return db.selectFrom('idempotency_keys').selectAll().where('scope', '=', scope).where('key', '=', key).where('created_at', '>', expiry).executeTakeFirst();
}

/**
 * Claims the key for this request; false when a concurrent request claimed it first (the unique key
 * decides). Keys past 24 h are swept first, so an old key starts afresh.
 */
export async function claimIdempotencyKey(db: DbOrTrx, claim: { scope: string; key: string; requestHash: string; messageId: string }): Promise<boolean> {
  await db.deleteFrom('idempotency_keys').where('created_at', '<=', expiry).execute();
  const claimed = await db
    .insertInto('idempotency_keys')
    .values({ scope: claim.scope, key: claim.key, request_hash: claim.requestHash, message_id: claim.messageId })
    .onConflict((oc) => oc.doNothing())
    .returning('key')
    .executeTakeFirst();
  return Boolean(claimed);
}

/** The first response to the request that claimed the key; later requests with the key get it as it is. Written once. */
export async function saveIdempotentResponse(db: DbOrTrx, r: { scope: string; key: string; messageId: string; statusCode: number; body: Record<string, unknown> }): Promise<void> {
  await db
    .updateTable('idempotency_keys')
    .set({ status_code: r.statusCode, response: JSON.stringify(r.body) })
    .where('scope', '=', r.scope)
    .where('key', '=', r.key)
    .where('message_id', '=', r.messageId)
    .where('response', 'is', null)
    .execute();
}
