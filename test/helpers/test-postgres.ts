import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { classifyDatabaseError } from '../../src/db/errors';
import { startPostgresCluster } from '../../src/dev/postgres-cluster';
import { freePort } from '../../src/temporal/dev-server';

export const LOCAL_POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

/** The server the tests use: its admin URL (tests make their databases on it), where it came from, how to let it go. */
export interface TestPostgres {
  url: string;
  source: 'DATABASE_URL' | 'local' | 'embedded';
  /** One line for the user: which Postgres this run uses. */
  description: string;
  stop(): Promise<void>;
}

async function answers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch (err) {
    // Nothing listening is the one answer that means "start our own"; a server that refuses us is the user's to fix.
    if (classifyDatabaseError(err).kind === 'unavailable') return false;
    throw new Error(`a Postgres answers at ${url.replace(/:[^:@/]+@/, ':***@')} but refused the tests (${(err as Error).message}): fix it, or set DATABASE_URL`);
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * DATABASE_URL if set; else the local server at `localUrl` (CI and most machines run one); else an
 * embedded Postgres of this run's own, on a free port in a temporary folder, removed by stop().
 */
export async function chooseTestPostgres(options: { env: NodeJS.ProcessEnv; localUrl?: string; log?: (line: string) => void }): Promise<TestPostgres> {
  const { env, localUrl = LOCAL_POSTGRES_URL, log = () => {} } = options;
  if (env.DATABASE_URL) {
    return { url: env.DATABASE_URL, source: 'DATABASE_URL', description: 'Postgres from DATABASE_URL', stop: async () => {} };
  }
  if (await answers(localUrl)) {
    return { url: localUrl, source: 'local', description: `the local Postgres at ${localUrl} (DATABASE_URL not set)`, stop: async () => {} };
  }
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'mailsync-test-pg-'));
  try {
    const cluster = await startPostgresCluster({ dataDir, port: await freePort(), log });
    return {
      url: cluster.url('postgres'),
      source: 'embedded',
      description: `an embedded Postgres on port ${cluster.port} in ${dataDir} (DATABASE_URL not set, nothing at ${localUrl}); stopped and removed after the run`,
      async stop() {
        await cluster.stop();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
}
