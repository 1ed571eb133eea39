import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { findOrBuildTemporalCli } from '../src/temporal/cli';
import { startDevServer, type DevServer } from '../src/temporal/dev-server';
import { prepareTemplateDatabase } from './helpers/template-db';

let server: DevServer | null = null;

/** One Temporal dev server, one migrated template database and one workflow bundle for the whole run. */
export default async function setup(): Promise<() => Promise<void>> {
  const log = (line: string) => process.stdout.write(`[global-setup] ${line}\n`);
  const [template] = await Promise.all([prepareTemplateDatabase(), startTemporal(log)]);
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
  };
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
