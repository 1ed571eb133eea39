import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { createDb, type Db } from '../../src/db/client';
import { migrateToLatest } from '../../src/db/migrate';
import { startGmailSandbox, type GmailSandbox } from '@mailsync/provider-sandbox/gmail';
import { startGraphSandbox, type GraphSandbox } from '@mailsync/provider-sandbox/microsoft';
import { findOrBuildTemporalCli } from '../../src/temporal/cli';
import { freePort } from '../../src/temporal/dev-server';
import { ApiClient } from './api-client';
import { startMailsyncProcesses, type MailsyncProcesses } from './children/processes';
import type { Cleanup } from './cleanup';
import { startChaosPostgres, type ChaosPostgres } from './postgres';
import { PushRelay } from './push-relay';
import { RssSampler } from './rss';
import { startChaosTemporal, type ChaosTemporal } from './temporal';
import { TIMERS } from './timers';

export interface ChaosStack extends MailsyncProcesses {
  dir: string;
  log: (line: string) => void;
  api: ApiClient;
  /** The suite's own view of Postgres, for counting rows. */
  db: Db;
  gmail: GmailSandbox;
  graph: GraphSandbox;
  relay: PushRelay;
  rss: RssSampler;
  /** Stops and starts of the suite's Postgres and Temporal server, keeping the reaper's pid list right. */
  stopPostgres(): Promise<void>;
  startPostgres(): Promise<void>;
  stopTemporal(): Promise<void>;
  startTemporal(): Promise<void>;
}

const API_KEY = `chaos-${randomBytes(16).toString('hex')}`;

/** Starts the real stack: Postgres, Temporal, both sandboxes, the push relay, then the API and the worker as child processes. */
export async function startChaosStack(dir: string, cleanup: Cleanup, log: (line: string) => void): Promise<ChaosStack> {
  const cliPath = findOrBuildTemporalCli(process.env, log);
  log('starting Postgres, Temporal and the sandboxes; bundling the workflows');
  const [postgres, temporal, bundlePath] = await Promise.all([
    startChaosPostgres(dir, log).then((pg) => {
      cleanup.add('postgres', () => pg.stop());
      cleanup.trackPid(pg.pid());
      return pg;
    }),
    startChaosTemporal(cliPath, dir, log).then((t) => {
      cleanup.add('temporal', () => t.stop());
      cleanup.trackPid(t.pid());
      return t;
    }),
    bundle(dir),
  ]);
  log('Postgres, Temporal and the workflow bundle ready');
  const db = createDb(postgres.url, { max: 4, onIdleError: () => {} });
  cleanup.add('suite database pool', () => db.destroy());
  await migrateToLatest(db);

  const apiPort = await freePort();
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  const relay = new PushRelay(apiUrl);
  const publicUrl = await relay.listen();
  cleanup.add('push relay', () => relay.close());
  const gmail = await startGmailSandbox({ clientId: 'mailsync-chaos', clientSecret: 'mailsync-chaos-secret', pushEndpoint: `${publicUrl}/webhooks/gmail`, pushMinIntervalMs: 200 });
  cleanup.add('gmail sandbox', () => gmail.close());
  const graph = await startGraphSandbox({ port: 0, refreshTokenMaxAgeMs: TIMERS.refreshTokenMaxAgeMs, accessTokenLifetimeSeconds: TIMERS.accessTokenLifetimeSeconds });
  cleanup.add('graph sandbox', () => graph.close());

  const env = childEnv({ postgres, temporal, gmail, graph, apiPort, publicUrl, bundlePath });
  const rss = new RssSampler();
  rss.start();
  cleanup.add('rss sampler', async () => rss.stop());

  const processes = await startMailsyncProcesses({ dir, env, cleanup, rss, log });

  // A restarted server has a new pid: the reaper must know it.
  const restartable = (server: ChaosPostgres | ChaosTemporal) => ({
    stop: async () => {
      const pid = server.pid();
      await server.stop();
      cleanup.untrackPid(pid);
    },
    start: async () => {
      await server.start();
      cleanup.trackPid(server.pid());
    },
  });
  const pg = restartable(postgres);
  const tp = restartable(temporal);
  return {
    dir, log, db, gmail, graph, relay, rss,
    api: new ApiClient(apiUrl, API_KEY),
    ...processes,
    stopPostgres: pg.stop,
    startPostgres: pg.start,
    stopTemporal: tp.stop,
    startTemporal: tp.start,
  };
}

async function bundle(dir: string): Promise<string> {
  const quiet = { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} } as never;
  const { code } = await bundleWorkflowCode({ workflowsPath: path.resolve(__dirname, '../../src/workflows/index.ts'), logger: quiet });
  const file = path.join(dir, 'workflows-bundle.js');
  writeFileSync(file, code);
  return file;
}

function childEnv(p: { postgres: ChaosPostgres; temporal: ChaosTemporal; gmail: GmailSandbox; graph: GraphSandbox; apiPort: number; publicUrl: string; bundlePath: string }): Record<string, string> {
  return {
    DATABASE_URL: p.postgres.url,
    TEMPORAL_ADDRESS: p.temporal.address,
    TEMPORAL_NAMESPACE: 'default',
    TEMPORAL_TASK_QUEUE: `chaos-${randomBytes(4).toString('hex')}`,
    API_HOST: '127.0.0.1',
    API_PORT: String(p.apiPort),
    MAILSYNC_API_KEYS: API_KEY,
    MAILSYNC_PUBLIC_URL: p.publicUrl,
    MAILSYNC_ENCRYPTION_KEYS: `chaos:${randomBytes(32).toString('base64')}`,
    MAILSYNC_ENCRYPTION_ACTIVE_KEY: '',
    MAILSYNC_WEBHOOK_URL: '',
    MAILSYNC_WEBHOOK_SECRET: '',
    GOOGLE_CLIENT_ID: p.gmail.clientId,
    GOOGLE_CLIENT_SECRET: p.gmail.clientSecret,
    GOOGLE_API_ROOT: p.gmail.url,
    GOOGLE_TOKEN_URL: p.gmail.tokenUrl,
    GOOGLE_AUTH_URL: p.gmail.authUrl,
    GOOGLE_CERTS_URL: p.gmail.certsUrl,
    GMAIL_PUSH_AUDIENCE: `${p.publicUrl}/webhooks/gmail`,
    GMAIL_PUSH_SERVICE_ACCOUNT: p.gmail.pushServiceAccount,
    GMAIL_PUBSUB_TOPIC: 'projects/mailsync-chaos/topics/gmail',
    MICROSOFT_CLIENT_ID: p.graph.clientId,
    MICROSOFT_CLIENT_SECRET: p.graph.clientSecret,
    MICROSOFT_AUTHORITY: p.graph.authority,
    MICROSOFT_GRAPH_URL: p.graph.graphBaseUrl,
    MICROSOFT_CA_FILE: p.graph.caFile,
    MAILSYNC_FALLBACK_POLL: `${TIMERS.fallbackPollMs}ms`,
    // The fault suite recovers lost pushes by the fallback poll: idle polling off (test/e2e/idle-wakes.test.ts covers it).
    MAILSYNC_IDLE_POLL: `${TIMERS.fallbackPollMs}ms`,
    MAILSYNC_MAX_BACKOFF: `${TIMERS.maxBackoffMs}ms`,
    MAILSYNC_SEND_SETTLE: `${TIMERS.sendSettleMs}ms`,
    CHAOS_ACTIVITY_TIMEOUT_MS: String(TIMERS.activityTimeoutMs),
    CHAOS_WORKFLOW_BUNDLE: p.bundlePath,
    LOG_LEVEL: 'warn',
  };
}
