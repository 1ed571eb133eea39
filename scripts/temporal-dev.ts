/**
 * `npm run temporal:dev`: the Temporal CLI's dev server alone, with mailsync's search attributes and the
 * Web UI, for running the API and worker from source against it (TEMPORAL_ADDRESS). Ctrl-C stops it.
 *   npm run temporal:dev -- [--port 7233] [--ui-port 8233] [--db-filename FILE]
 */
import { parseArgs } from 'node:util';
import { findOrBuildTemporalCli } from '../src/temporal/cli';
import { startDevServer } from '../src/temporal/dev-server';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { port: { type: 'string', default: '7233' }, 'ui-port': { type: 'string', default: '8233' }, 'db-filename': { type: 'string' } } });
  const log = (line: string) => process.stdout.write(`[temporal] ${line}\n`);
  const server = await startDevServer({
    cliPath: findOrBuildTemporalCli(process.env, log),
    port: Number(values.port),
    uiPort: Number(values['ui-port']),
    ...(values['db-filename'] ? { dbFilename: values['db-filename'] } : {}),
    log,
  });
  process.stdout.write(`\n  TEMPORAL_ADDRESS=${server.address}\n  Web UI ${server.uiUrl}\n  Ctrl-C stops it.\n\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await server.stop();
}

main().catch((err: unknown) => {
  process.stderr.write(`temporal:dev: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
