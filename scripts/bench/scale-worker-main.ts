/** One mailsync worker of the scale bench, in its own OS process (so it can be SIGKILLed and its RSS read). */
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { systemClock } from '../../src/activities/deps';
import { createTokenCipher, parseKeyring } from '../../src/crypto';
import { createDb } from '../../src/db/client';
import { createMailsyncWorker } from '../../src/worker';

async function main(): Promise<void> {
  const env = process.env as Record<string, string>;
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const db = createDb(env.DATABASE_URL!, { onIdleError: () => {} });
  const connection = await NativeConnection.connect({ address: env.TEMPORAL_ADDRESS! });
  const worker = await createMailsyncWorker({
    connection,
    namespace: 'default',
    taskQueue: env.TASK_QUEUE!,
    deps: { db, cipher: createTokenCipher(parseKeyring(env.ENCRYPTION_KEYS!)), google: JSON.parse(env.GOOGLE_CONFIG!), clock: systemClock },
    workflowBundle: { codePath: env.WORKFLOW_BUNDLE! },
    ...(env.MAILSYNC_WORKER_ACTIVITY_MEMORY ? { activityMemoryBytes: Number(env.MAILSYNC_WORKER_ACTIVITY_MEMORY) } : {}),
    ...(env.MAILSYNC_WORKER_WORKFLOW_CACHE_MEMORY ? { workflowCacheMemoryBytes: Number(env.MAILSYNC_WORKER_WORKFLOW_CACHE_MEMORY) } : {}),
  });
  process.once('SIGTERM', () => worker.shutdown());
  process.stdout.write('worker ready\n');
  await worker.run();
  await connection.close();
  await db.destroy();
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack}\n`);
  process.exit(1);
});
