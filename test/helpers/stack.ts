import { randomBytes } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, type Worker } from '@temporalio/worker';
import { buildApp, type App } from '../../src/api/app';
import { systemClock } from '../../src/activities/deps';
import { SANDBOX_PUSH_SERVICE_ACCOUNT } from '../../src/config';
import { createTokenCipher, parseKeyring } from '../../src/crypto';
import type { TokenCipher } from '../../src/crypto/types';
import type { OutlookSettings } from '../../src/activities/deps';
import type { IngestSettings } from '../../src/activities/sync/memory-bound';
import type { WebhookSettings } from '../../src/crm-webhooks/settings';
import type { Logger } from '../../src/logging/logger';
import { runtimeLogging } from '../../src/logging/temporal-logger';
import type { GoogleEndpoints } from '../../src/providers/gmail/client';
import { createWorkerMetrics, type WorkerMetrics } from '../../src/metrics/registry';
import { createMailboxIdentity } from '../../src/providers/identity';
import type { MailboxTimers } from '../../src/workflows/state';
import { createMailsyncWorker } from '../../src/worker';
import { recordHistories } from './record-histories';
import { createTestDb, type TestDb } from './test-db';

export const API_KEY = 'test-api-key-0123456789abcdef';
/** The one origin an OAuth flow's redirectAfter may point at in tests. */
export const OAUTH_REDIRECT_ORIGIN = 'https://crm.test';

export interface Stack {
  app: App;
  testDb: TestDb;
  db: TestDb['db'];
  client: Client;
  taskQueue: string;
  cipher: TokenCipher;
  worker: Worker | null;
  /** What the in-process worker's activities counted (the registry its metrics listener serves). */
  workerMetrics: WorkerMetrics;
  /** What a worker in another process needs to join this stack (see worker-process.ts). */
  workerEnv: Record<string, string>;
  /** Authorised inject: `await stack.api('POST', '/v1/...', body)`. */
  api(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: any }>;
  close(): Promise<void>;
}

export interface StackOptions {
  google?: GoogleEndpoints & { pubsubTopic: string; certsUrl?: string; pushServiceAccount?: string };
  microsoft?: OutlookSettings;
  timers?: Partial<MailboxTimers>;
  maxMessagesPerRun?: number;
  activityTimeoutMs?: number;
  /** False: run no worker in this process (a test starts worker processes itself). */
  inProcessWorker?: boolean;
  pacing?: Partial<Record<'gmail' | 'outlook', { unitsPerMinute: number; share: number }>>;
  /** Name under which `npm run histories:record` stores this stack's workflow histories. */
  recordAs?: string;
  /** A database of the test's own (e.g. on a server it stops and starts); default: a fresh copy of the template. */
  database?: TestDb;
  /** How the in-process worker reads messages (DEFAULT_INGEST_SETTINGS when absent). */
  ingest?: IngestSettings;
  /** Webhook delivery timing and target policy, for the worker and the API (production defaults when absent). */
  webhooks?: WebhookSettings;
  /**
   * The JSON logger of the API and of the Temporal Runtime (worker, workflow and activity lines). The
   * Runtime is one per process: only the first stack of a test file can have one.
   */
  logger?: Logger;
}

const UNCONFIGURED_GOOGLE = {
  clientId: 'test', clientSecret: 'test', apiRoot: 'http://127.0.0.1:9/', tokenUrl: 'http://127.0.0.1:9/token',
  authUrl: 'http://127.0.0.1:9/auth', pubsubTopic: 'projects/test/topics/gmail',
};

let runtimeInstalled = false;
function installRuntime(logger: Logger | undefined): void {
  if (runtimeInstalled) {
    if (logger) throw new Error('the Temporal Runtime is already installed in this process: a stack with a logger must be the first of its test file');
    return;
  }
  runtimeInstalled = true;
  Runtime.install(logger ? runtimeLogging(logger) : { logger: new DefaultLogger(process.env.MAILSYNC_TEST_LOG === 'warn' ? 'WARN' : 'ERROR') });
}

/** The real stack in-process: a fresh database, a worker on its own task queue, and the API. */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const address = process.env.TEMPORAL_ADDRESS;
  const bundlePath = process.env.MAILSYNC_TEST_WORKFLOW_BUNDLE;
  if (!address || !bundlePath) throw new Error('run integration tests through vitest --project integration (global setup)');
  installRuntime(options.logger);
  const testDb = options.database ?? (await createTestDb());
  const keyring = `test:${randomBytes(32).toString('base64')}`;
  const cipher = createTokenCipher(parseKeyring(keyring));
  const google = options.google ?? UNCONFIGURED_GOOGLE;
  const timers = { fallbackPollMs: 60_000, watchRenewMs: 86_400_000, maxBackoffMs: 30_000, driftAuditMs: 21_600_000, sendSettleMs: 5_000, idlePollMs: 0, ...options.timers };
  const taskQueue = `test-${randomBytes(6).toString('hex')}`;
  const nativeConnection = await NativeConnection.connect({ address });
  const client = new Client({ connection: await Connection.connect({ address }) });
  const workerMetrics = createWorkerMetrics();
  const worker =
    options.inProcessWorker === false
      ? null
      : await createMailsyncWorker({
          connection: nativeConnection,
          namespace: 'default',
          taskQueue,
          deps: { db: testDb.db, cipher, google, ...(options.microsoft ? { microsoft: options.microsoft } : {}), clock: systemClock, ...(options.ingest ? { ingest: options.ingest } : {}), ...(options.webhooks ? { webhooks: options.webhooks } : {}), metrics: workerMetrics },
          workflowBundle: { codePath: bundlePath },
        });
  const running = worker?.run();
  const app = await buildApp({
    db: testDb.db,
    temporal: client,
    config: { api: { host: '127.0.0.1', port: 0, keys: [API_KEY], publicUrl: 'http://127.0.0.1', oauthRedirectOrigins: [OAUTH_REDIRECT_ORIGIN] }, temporal: { address, namespace: 'default', taskQueue }, timers, google: { certsUrl: options.google?.certsUrl ?? 'http://127.0.0.1:9/certs', pushAudience: 'mailsync-test', pushServiceAccount: options.google?.pushServiceAccount ?? SANDBOX_PUSH_SERVICE_ACCOUNT } },
    cipher,
    identity: createMailboxIdentity({ google, ...(options.microsoft ? { microsoft: options.microsoft } : {}) }),
    google,
    ...(options.microsoft ? { microsoft: options.microsoft } : {}),
    taskQueue,
    timers,
    bccDomain: 'bcc.test.mailsync.local',
    messageIdDomain: 'test.mailsync.local',
    ...(options.maxMessagesPerRun ? { maxMessagesPerRun: options.maxMessagesPerRun } : {}),
    activityTimeoutMs: options.activityTimeoutMs ?? 20_000,
    ...(options.pacing ? { pacing: options.pacing } : {}),
    ...(options.webhooks ? { webhooks: options.webhooks } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
  });
  return {
    app, testDb, db: testDb.db, client, taskQueue, cipher, worker, workerMetrics,
    workerEnv: { DATABASE_URL: testDb.url, TEMPORAL_ADDRESS: address, TASK_QUEUE: taskQueue, ENCRYPTION_KEYS: keyring, GOOGLE_CONFIG: JSON.stringify(google), MICROSOFT_CONFIG: JSON.stringify(options.microsoft ?? null) },
    async api(method, url, body, headers = {}) {
      const res = await app.inject({
        method, url, headers: { authorization: `Bearer ${API_KEY}`, ...headers },
        ...(body === undefined ? {} : { payload: body as object }),
      });
      return { status: res.statusCode, body: res.body ? res.json() : null };
    },
    async close() {
      if (options.recordAs) await recordHistories(client, taskQueue, options.recordAs);
      await app.close();
      worker?.shutdown();
      await running;
      await nativeConnection.close();
      await client.connection.close();
      await testDb.drop();
    },
  };
}
