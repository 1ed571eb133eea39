import { Kysely, PostgresDialect, type Transaction } from 'kysely';
import pg from 'pg';
import type { Database } from './schema';

export type Db = Kysely<Database>;
export type DbOrTrx = Kysely<Database> | Transaction<Database>;

export function createDb(databaseUrl: string, options: { max?: number; onIdleError?: (err: Error) => void } = {}): Db {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: options.max ?? 10 });
  // An idle connection closed by the server (restart, failover) must not crash the process: the pool
  // drops it and the next query opens a new one.
  pool.on('error', options.onIdleError ?? ((err) => process.stderr.write(`postgres: idle connection lost: ${err.message}\n`)));
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}
