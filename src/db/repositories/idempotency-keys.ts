import type { DbOrTrx } from '../client';

/** What an earlier request with this Idempotency-Key asked for, and the message it made. */
export async function findIdempotencyKey(db: DbOrTrx, scope: string, key: string) {
  return db.selectFrom('idempotency_keys').selectAll().where('scope', '=', scope).where('key', '=', key).executeTakeFirst();
}

/** Claims the key for this request; false when a concurrent request claimed it first. */
export async function claimIdempotencyKey(db: DbOrTrx, claim: { scope: string; key: string; requestHash: string; messageId: string }): Promise<boolean> {
  const claimed = await db
    .insertInto('idempotency_keys')
    .values({ scope: claim.scope, key: claim.key, request_hash: claim.requestHash, message_id: claim.messageId })
    .onConflict((oc) => oc.doNothing())
    .returning('key')
    .executeTakeFirst();
  return Boolean(claimed);
}
