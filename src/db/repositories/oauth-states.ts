import type { DbOrTrx } from '../client';
import type { Provider } from '../../provider';

export async function insertOAuthState(
  db: DbOrTrx,
  input: { state: string; provider: Provider; locationId: string; userId: string; redirectAfter: string | null },
): Promise<void> {
  await db
    .insertInto('oauth_states')
    .values({ state: input.state, provider: input.provider, location_id: input.locationId, user_id: input.userId, connection_id: null, redirect_after: input.redirectAfter })
    .execute();
}

/** The consent flow this state started, taken once: a second callback with it finds nothing. */
export async function takeOAuthState(db: DbOrTrx, state: string, provider: Provider) {
  return db.deleteFrom('oauth_states').where('state', '=', state).where('provider', '=', provider).returningAll().executeTakeFirst();
}
