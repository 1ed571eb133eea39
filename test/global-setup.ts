import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { findOrBuildTemporalCli } from '../src/temporal/cli';
import { startDevServer, type DevServer } from '../src/temporal/dev-server';
import { prepareTemplateDatabase } from './helpers/template-db';
import { chooseTestPostgres, type TestPostgres } from './helpers/test-postgres';

let server: DevServer | null = null;
let postgres: TestPostgres | null = null;

/** One Postgres, one Temporal dev server, one migrated template database and one workflow bundle for the whole run. */
export default async function setup(): Promise<() => Promise<void>> {
  const log = (line: string) => process.stdout.write(`[global-setup] ${line}\n`);
  const [template] = await Promise.all([startPostgres(log).then(prepareTemplateDatabase), startTemporal(log)]);
  process.env.MAILSYNC_TEST_TEMPLATE_DB = template;

  const bundle = await bundleWorkflowCode({
    workflowsPath: path.resolve(__dirname, '../src/workflows/index.ts'),
    logger: { trace() {}, debug() {}, info() {}, warn: (m: string) => log(m), error: (m: string) => log(m), log() {} } as never,
  });
  const bundlePath = path.join(os.tmpdir(), `mailsync-workflows-${process.pid}.js`);
  writeFileSync(bundlePath, bundle.code);
  process.env.MAILSYNC_TEST_WORKFLOW_BUNDLE = bundlePath;

  return async () => {
    await server?.stop();
    await postgres?.stop();
  };
}

async function startPostgres(log: (line: string) => void): Promise<void> {
  postgres = await chooseTestPostgres({ env: process.env, log });
  log(`using ${postgres.description}`);
  // Test files run in forks that inherit this environment; every helper reads the server from it.
  process.env.DATABASE_URL = postgres.url;
}

async function startTemporal(log: (line: string) => void): Promise<void> {
  if (process.env.TEMPORAL_ADDRESS) {
    log(`using the Temporal server at ${process.env.TEMPORAL_ADDRESS}`);
    return;
  }
  const cliPath = findOrBuildTemporalCli(process.env, log);
  server = await startDevServer({ cliPath, headless: true, log });
  process.env.TEMPORAL_ADDRESS = server.address;
}
