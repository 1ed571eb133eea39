import type { PostgresPool, PostgresPoolClient } from 'kysely';
import type pg from 'pg';
import { rethrowOutage } from './errors';

/**
 * The pool kysely sees: pg's own, with every outage it raises on connect or query turned into a
 * DatabaseUnavailableError at the source. Callers above (the API's error handler, activities) then
 * tell an outage by its type and never mistake a provider's network error for the database's.
 */
export function surfaceOutages(pool: pg.Pool): PostgresPool {
  // One wrapper per pg client: kysely keys its connection objects by the client it is given.
  const wrappers = new WeakMap<pg.PoolClient, PostgresPoolClient>();
  return {
    async connect() {
      const client = await pool.connect().catch(rethrowOutage);
      let wrapper = wrappers.get(client);
      if (!wrapper) {
        wrapper = wrapClient(client);
        wrappers.set(client, wrapper);
      }
      return wrapper;
    },
    end: () => pool.end(),
  };
}

function wrapClient(client: pg.PoolClient): PostgresPoolClient {
  const query = (sqlOrCursor: unknown, parameters?: readonly unknown[]): unknown => {
    // A cursor (streaming) is only used when the dialect is given one; createDb gives none.
    if (typeof sqlOrCursor !== 'string') return client.query(sqlOrCursor as never);
    return client.query(sqlOrCursor, parameters ? [...parameters] : []).catch(rethrowOutage);
  };
  return { query: query as PostgresPoolClient['query'], release: (destroy) => client.release(destroy) };
}
