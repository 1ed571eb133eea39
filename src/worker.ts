import { existsSync } from 'node:fs';
import path from 'node:path';
import { NativeConnection, Runtime, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities } from './activities';
import { systemClock, type ActivityDeps } from './activities/deps';
import { activityConcurrency, DEFAULT_INGEST_SETTINGS, DEFAULT_WORKER_ACTIVITY_MEMORY } from './activities/sync/memory-bound';
import { loadConfigOrExit } from './config';
import { webhookSettingsFromConfig } from './crm-webhooks/settings';
import { createTokenCipherFromConfig } from './crypto/from-config';
import { createDb } from './db/client';
import { createWorkerMetrics } from './metrics/registry';
import { serveMetrics } from './metrics/serve';
import { temporalTelemetry } from './metrics/temporal-telemetry';
import { activityLogIds } from './logging/activity-log-ids';
import { createLogger } from './logging/logger';
import { runtimeLogging } from './logging/temporal-logger';
import { outlookSettings } from './providers/outlook/settings';
import { temporalConnectionOptions } from './temporal/connection-options';
import { DEFAULT_WORKER_WORKFLOW_CACHE_MEMORY, maxCachedWorkflows } from './workflow-cache-bound';

/** How long a dead worker's cached mailboxes wait before another worker takes their workflow tasks. */
export const STICKY_QUEUE_TIMEOUT = '3 seconds';

export const WORKFLOWS_PATH = path.resolve(__dirname, 'workflows/index.ts');

export interface MailsyncWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  deps: ActivityDeps;
  workflowBundle?: WorkerOptions['workflowBundle'];
  /** Memory for all activities together; with the per-activity bound it sets how many run at once. */
  activityMemoryBytes?: number;
  /** Memory for cached workflows (the sticky cache); sets maxCachedWorkflows so RSS stays bounded at any mailbox count. */
  workflowCacheMemoryBytes?: number;
  /** On SIGTERM/SIGINT, how long running activities may finish before they are cancelled. */
  shutdownGraceMs?: number;
}

/** The only place that builds the activities. */
export async function createMailsyncWorker(opts: MailsyncWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: opts.connection,
    namespace: opts.namespace,
    taskQueue: opts.taskQueue,
    activities: createActivities(opts.deps),
    interceptors: { activity: [activityLogIds] },
    // Each activity holds at most maxActivityMemoryBytes of messages; this many of them fit the worker's budget.
    maxConcurrentActivityTaskExecutions: activityConcurrency(opts.activityMemoryBytes ?? DEFAULT_WORKER_ACTIVITY_MEMORY, opts.deps.ingest ?? DEFAULT_INGEST_SETTINGS),
    maxCachedWorkflows: maxCachedWorkflows(opts.workflowCacheMemoryBytes ?? DEFAULT_WORKER_WORKFLOW_CACHE_MEMORY),
    // A cached mailbox's next workflow task waits this long on this worker's own (sticky) queue before any
    // worker may take it: when this worker dies, its mailboxes stall this long (the SDK's default is 10 s).
    stickyQueueScheduleToStartTimeout: STICKY_QUEUE_TIMEOUT,
    ...(opts.workflowBundle ? { workflowBundle: opts.workflowBundle } : { workflowsPath: WORKFLOWS_PATH }),
    ...(opts.shutdownGraceMs !== undefined ? { shutdownGraceTime: opts.shutdownGraceMs } : {}),
  });
}

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const logger = createLogger({ name: 'mailsync-worker', level: config.logLevel });
  // Before anything creates the Runtime: SDK, workflow (through its sink) and activity lines go to the JSON logger.
  // One Runtime per process: its logging and the SDK's metrics (served on their own port) are installed together.
  const logging = runtimeLogging(logger);
  const telemetry = temporalTelemetry(config.workerMetrics);
  Runtime.install({ ...logging, telemetryOptions: { ...logging.telemetryOptions, ...telemetry.telemetryOptions } });
  const metrics = createWorkerMetrics({ processMetrics: true });
  const { host, port } = config.workerMetrics;
  const metricsListener = port === null ? null : await serveMetrics(metrics.registry, { host, port });
  const db = createDb(config.databaseUrl, { timeouts: config.databaseTimeouts });
  const connection = await NativeConnection.connect(temporalConnectionOptions(config.temporal));
  // `npm run build` bundles the workflows once (dist/workflow-bundle.js); from source they are bundled at start.
  const bundlePath = process.env.MAILSYNC_WORKFLOW_BUNDLE ?? path.join(__dirname, 'workflow-bundle.js');
  const worker = await createMailsyncWorker({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    deps: { db, cipher: createTokenCipherFromConfig(config), google: config.google, microsoft: outlookSettings(config), clock: systemClock, ingest: config.ingest, webhooks: webhookSettingsFromConfig(config), metrics },
    activityMemoryBytes: config.workerActivityMemoryBytes,
    workflowCacheMemoryBytes: config.workerWorkflowCacheMemoryBytes,
    ...(existsSync(bundlePath) ? { workflowBundle: { codePath: bundlePath } } : {}),
    shutdownGraceMs: config.workerShutdownGraceMs,
  });
  logger.info({ taskQueue: config.temporal.taskQueue, temporalAddress: config.temporal.address }, 'worker polling');
  if (metricsListener) logger.info({ url: metricsListener.url }, 'worker metrics');
  try {
    await worker.run();
  } finally {
    await metricsListener?.close();
    await connection.close();
    await db.destroy();
  }
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`worker: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  });
}
