import { sql } from 'kysely';
import type { DbOrTrx } from '../client';
import type { Provider } from '../../provider';

export async function insertOAuthState(
  db: DbOrTrx,
  input: { state: string; provider: Provider; locationId: string; userId: string; redirectAfter: string | null; consentUrl: string; codeVerifier: string },
): Promise<void> {
  await db
    .insertInto('oauth_states')
    .values({
      state: input.state, provider: input.provider, location_id: input.locationId, user_id: input.userId, connection_id: null,
      redirect_after: input.redirectAfter, consent_url: input.consentUrl, code_verifier: input.codeVerifier,
    })
    .execute();
}

/**
 * Binds the flow to the browser that opens its authorize link, once and within `ttlMs` of the start:
 * the consent URL to send that browser to, or null when the state is unknown, expired or already bound.
 */
export async function bindOAuthState(db: DbOrTrx, state: string, provider: Provider, browserHash: Buffer, ttlMs: number): Promise<string | null> {
  const row = await db
    .updateTable('oauth_states')
    .set({ browser_hash: browserHash })
    .where('state', '=', state)
    .where('provider', '=', provider)
    .where('browser_hash', 'is', null)
    .where('created_at', '>', sql<Date>`now() - make_interval(secs => ${ttlMs / 1000})`)
    .returning('consent_url')
    .executeTakeFirst();
  return row?.consent_url ?? null;
}

/** The consent flow this state started in this browser, taken once: a second callback with it finds nothing. */
export async function takeOAuthState(db: DbOrTrx, state: string, provider: Provider, browserHash: Buffer) {
  return db
    .deleteFrom('oauth_states')
    .where('state', '=', state)
    .where('provider', '=', provider)
    .where('browser_hash', '=', browserHash)
    .returningAll()
    .executeTakeFirst();
}
