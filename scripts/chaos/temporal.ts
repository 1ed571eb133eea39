import path from 'node:path';
import { startDevServer, freePort, type DevServer } from '../../src/temporal/dev-server';

export interface ChaosTemporal {
  address: string;
  pid(): number | null;
  stop(): Promise<void>;
  start(): Promise<void>;
}

/**
 * The Temporal dev server on a fixed port with a database file, so a stop and a start on the same
 * port keep every workflow: what a restarted Temporal service looks like to the API and the worker.
 */
export async function startChaosTemporal(cliPath: string, dir: string, log: (line: string) => void): Promise<ChaosTemporal> {
  const port = await freePort();
  const dbFilename = path.join(dir, 'temporal.sqlite');
  const launch = () => startDevServer({ cliPath, port, headless: true, dbFilename, readyTimeoutMs: 90_000 });
  let server: DevServer | null = await launch();
  log(`Temporal dev server on ${server.address} (db ${dbFilename})`);
  return {
    address: server.address,
    pid: () => server?.pid ?? null,
    async stop() {
      const current = server;
      server = null;
      await current?.stop();
    },
    async start() {
      if (server) return;
      server = await launch();
    },
  };
}
