import { appendStatusChanged } from './events';
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { DbOrTrx } from '../client';
import { setConnectionsStatus } from './connections';
import type { Provider } from '../../provider';
import type { AccountRow, CredentialsTable } from '../schema';
import type { SealedFormat, SealedToken } from '../../crypto/types';

export async function upsertAccount(db: DbOrTrx, input: { id: string; provider: Provider; address: string }): Promise<AccountRow> {
  const address = input.address.toLowerCase();
  await db
    .insertInto('accounts')
    .values({ id: input.id, provider: input.provider, address, client_state: randomBytes(24).toString('hex') })
    .onConflict((oc) => oc.columns(['provider', 'address']).doNothing())
    .execute();
  return db
    .selectFrom('accounts')
    .selectAll()
    .where('provider', '=', input.provider)
    .where('address', '=', address)
    .executeTakeFirstOrThrow();
}

export async function findAccount(db: DbOrTrx, id: string): Promise<AccountRow | null> {
  return (await db.selectFrom('accounts').selectAll().where('id', '=', id).executeTakeFirst()) ?? null;
}

export async function setAccountStatus(db: DbOrTrx, id: string, status: AccountRow['status']): Promise<void> {
  await db.updateTable('accounts').set({ status, updated_at: sql`now()` }).where('id', '=', id).execute();
}

/**
 * New credentials for the account (R19), through whichever location brought them: the account and every
 * connection of it that waited for re-authentication are active again.
 */
export async function activateWithNewCredentials(db: DbOrTrx, account: Pick<AccountRow, 'id' | 'status'>): Promise<void> {
  if (account.status === 'disconnected' || account.status === 'needs_reauth') await setAccountStatus(db, account.id, 'active');
  const healed = await setConnectionsStatus(db, account.id, 'needs_reauth', 'active');
  await appendStatusChanged(db, healed, { status: 'active', previousStatus: 'needs_reauth', reason: 'new_credentials' });
}

export async function saveCredentials(db: DbOrTrx, accountId: string, sealed: SealedToken): Promise<void> {
  const values = { key_id: sealed.keyId, format: sealed.format, iv: sealed.iv, tag: sealed.tag, ciphertext: sealed.ciphertext };
  await db
    .insertInto('credentials')
    .values({ account_id: accountId, ...values })
    .onConflict((oc) => oc.column('account_id').doUpdateSet({ ...values, updated_at: sql`now()` }))
    .execute();
}

/**
 * Replaces the credentials only if the row still holds `expected` (the sealed value a reader loaded):
 * a token rotated from an older load must not overwrite one written since (a newer rotation, or new
 * credentials from the API). The iv and tag are fresh per seal, so they name one write. False when
 * the row had moved on.
 */
export async function replaceCredentials(db: DbOrTrx, accountId: string, expected: SealedToken, next: SealedToken): Promise<boolean> {
  const result = await db
    .updateTable('credentials')
    .set({ key_id: next.keyId, format: next.format, iv: next.iv, tag: next.tag, ciphertext: next.ciphertext, updated_at: sql`now()` as never })
    .where('account_id', '=', accountId)
    .where('iv', '=', expected.iv)
    .where('tag', '=', expected.tag)
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

export async function loadCredentials(db: DbOrTrx, accountId: string): Promise<SealedToken | null> {
  const row = await db.selectFrom('credentials').selectAll().where('account_id', '=', accountId).executeTakeFirst();
  return row ? sealedOf(row) : null;
}

function sealedOf(row: Pick<CredentialsTable, 'key_id' | 'format' | 'iv' | 'tag' | 'ciphertext'>): SealedToken {
  return { keyId: row.key_id, format: row.format, iv: row.iv, tag: row.tag, ciphertext: row.ciphertext };
}

/**
 * A page of credentials not sealed with `activeKeyId` in `format` (what key rotation re-seals), in
 * account id order after `afterAccountId`.
 */
export async function listCredentialsToReseal(db: DbOrTrx, activeKeyId: string, format: SealedFormat, afterAccountId: string, limit: number): Promise<Array<{ accountId: string; sealed: SealedToken }>> {
  const rows = await db
    .selectFrom('credentials')
    .select(['account_id', 'key_id', 'format', 'iv', 'tag', 'ciphertext'])
    .where((eb) => eb.or([eb('key_id', '<>', activeKeyId), eb('format', '<>', format)]))
    .where('account_id', '>', afterAccountId)
    .orderBy('account_id')
    .limit(limit)
    .execute();
  return rows.map((row) => ({ accountId: row.account_id, sealed: sealedOf(row) }));
}

/** The account's sync position starts at its first connect: nothing before it is imported (R13). */
export async function ensureSyncState(db: DbOrTrx, accountId: string): Promise<void> {
  await db
    .insertInto('sync_state')
    .values({ account_id: accountId, baseline_at: sql`now()` as never })
    .onConflict((oc) => oc.column('account_id').doNothing())
    .execute();
}

export async function saveSubscriptionId(db: DbOrTrx, accountId: string, subscriptionId: string | null): Promise<void> {
  await db.updateTable('accounts').set({ subscription_id: subscriptionId, updated_at: sql`now()` as never }).where('id', '=', accountId).execute();
}

/** R16: sends per rolling 24 h for this mailbox. */
export async function setDailySendLimit(db: DbOrTrx, accountId: string, limit: number): Promise<void> {
  await db.updateTable('accounts').set({ daily_send_limit: limit }).where('id', '=', accountId).execute();
}

export async function findAccountAddress(db: DbOrTrx, accountId: string): Promise<string> {
  return (await db.selectFrom('accounts').select('address').where('id', '=', accountId).executeTakeFirstOrThrow()).address;
}

/** The mailbox a Gmail push names. */
export async function findAccountByAddress(db: DbOrTrx, provider: Provider, address: string) {
  return db.selectFrom('accounts').select(['id', 'provider']).where('provider', '=', provider).where('address', '=', address).executeTakeFirst();
}

/** The mailboxes Graph notifications name, with the clientState each must carry. */
export async function findAccountsBySubscription(db: DbOrTrx, provider: Provider, subscriptionIds: string[]) {
  return db.selectFrom('accounts').select(['id', 'subscription_id', 'client_state']).where('provider', '=', provider).where('subscription_id', 'in', subscriptionIds).execute();
}
