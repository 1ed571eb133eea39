import { Kysely, PostgresDialect, type Transaction } from 'kysely';
import pg from 'pg';
import { surfaceOutages } from './outage-pool';
import type { Database } from './schema';
import { DEFAULT_POOL_TIMEOUTS, type PoolTimeouts } from './timeouts';

export type Db = Kysely<Database>;
export type DbOrTrx = Kysely<Database> | Transaction<Database>;

export interface DbOptions {
  max?: number;
  onIdleError?: (err: Error) => void;
  timeouts?: Partial<PoolTimeouts>;
}

export function createDb(databaseUrl: string, options: DbOptions = {}): Db {
  const timeouts = { ...DEFAULT_POOL_TIMEOUTS, ...options.timeouts };
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: options.max ?? 10,
    // Without it a refused or black-holed server, or a pool full of stuck clients, makes callers wait for ever.
    connectionTimeoutMillis: timeouts.connectMs,
    // Sent in the startup message, so every session of the pool carries them; the server enforces them.
    statement_timeout: timeouts.statementMs,
    idle_in_transaction_session_timeout: timeouts.idleInTransactionMs,
  });
  // An idle connection closed by the server (restart, failover) must not crash the process: the pool
  // drops it and the next query opens a new one.
  pool.on('error', options.onIdleError ?? ((err) => process.stderr.write(`postgres: idle connection lost: ${err.message}\n`)));
  // pg-pool removes its own 'error' listener from a client while it is lent out, so a session the server
  // ends mid-query (a restart's 57P01) would throw an uncaught 'error' and kill the process. The query in
  // flight is rejected anyway, and the pool drops the broken client when it comes back.
  pool.on('connect', (client) => client.on('error', () => {}));
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool: surfaceOutages(pool) }) });
}
