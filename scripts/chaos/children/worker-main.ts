/**
 * The worker as a child process of the fault suite, so it can be SIGKILLed mid-activity: src/worker.ts
 * (keep the two in step; the CRM webhook dispatcher is left out, no webhook URL is set) with the workflow bundle built once per run (CHAOS_WORKFLOW_BUNDLE) instead of on every start.
 * With CHAOS_STANDBY=1 it loads, then waits for "go" on stdin before it connects and polls.
 */
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { systemClock } from '../../../src/activities/deps';
import { loadConfigOrExit } from '../../../src/config';
import { createTokenCipherFromConfig } from '../../../src/crypto/from-config';
import { createDb } from '../../../src/db/client';
import { outlookSettings } from '../../../src/providers/outlook/settings';
import { temporalConnectionOptions } from '../../../src/temporal/connection-options';
import { createMailsyncWorker } from '../../../src/worker';
import { exitWithParent } from './orphan-guard';

/** A warm standby has every module loaded and waits for "go" on stdin, so a replacement worker starts in a second. */
async function untilGo(): Promise<void> {
  if (process.env.CHAOS_STANDBY !== '1') return;
  process.stdout.write('standby ready\n');
  await new Promise<void>((resolve) => {
    let input = '';
    process.stdin.on('data', (chunk: Buffer) => {
      input += chunk.toString();
      if (input.includes('go\n')) resolve();
    });
  });
}

async function main(): Promise<void> {
  exitWithParent();
  await untilGo();
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const config = loadConfigOrExit();
  const db = createDb(config.databaseUrl, { timeouts: config.databaseTimeouts });
  const connection = await NativeConnection.connect(temporalConnectionOptions(config.temporal));
  const worker = await createMailsyncWorker({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    deps: { db, cipher: createTokenCipherFromConfig(config), google: config.google, microsoft: outlookSettings(config), clock: systemClock, ingest: config.ingest },
    activityMemoryBytes: config.workerActivityMemoryBytes,
    workflowCacheMemoryBytes: config.workerWorkflowCacheMemoryBytes,
    workflowBundle: { codePath: process.env.CHAOS_WORKFLOW_BUNDLE! },
  });
  process.once('SIGTERM', () => worker.shutdown());
  process.stdout.write('worker ready\n');
  try {
    await worker.run();
  } finally {
    await connection.close();
    await db.destroy();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`worker: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
