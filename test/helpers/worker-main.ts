/** A mailsync worker in its own process, so a test can kill it mid-activity (SIGKILL) and start another. */
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { systemClock } from '../../src/activities/deps';
import { createTokenCipher, parseKeyring } from '../../src/crypto';
import { createDb } from '../../src/db/client';
import { createMailsyncWorker } from '../../src/worker';

async function main(): Promise<void> {
  const env = process.env as Record<string, string>;
  Runtime.install({ logger: new DefaultLogger(process.env.MAILSYNC_TEST_LOG === 'warn' ? 'WARN' : 'ERROR') });
  const db = createDb(env.DATABASE_URL!);
  const connection = await NativeConnection.connect({ address: env.TEMPORAL_ADDRESS! });
  const worker = await createMailsyncWorker({
    connection,
    namespace: 'default',
    taskQueue: env.TASK_QUEUE!,
    deps: {
      db,
      cipher: createTokenCipher(parseKeyring(env.ENCRYPTION_KEYS!)),
      google: JSON.parse(env.GOOGLE_CONFIG!),
      ...(env.MICROSOFT_CONFIG && env.MICROSOFT_CONFIG !== 'null' ? { microsoft: JSON.parse(env.MICROSOFT_CONFIG) } : {}),
      clock: systemClock,
      ...(env.INGEST_CONFIG ? { ingest: JSON.parse(env.INGEST_CONFIG) } : {}),
    },
    workflowBundle: { codePath: env.MAILSYNC_TEST_WORKFLOW_BUNDLE! },
  });
  process.stdout.write('worker ready\n');
  await worker.run();
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack}\n`);
  process.exit(1);
});
