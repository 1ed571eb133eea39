import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { createDb, type Db } from '../../src/db/client';
import { migrateToLatest } from '../../src/db/migrate';
import { startGmailSandbox, type GmailSandbox } from '../../src/sandbox/gmail';
import { startGraphSandbox, type GraphSandbox } from '../../src/sandbox/microsoft';
import { findOrBuildTemporalCli } from '../../src/temporal/cli';
import { freePort } from '../../src/temporal/dev-server';
import { ApiClient } from './api-client';
import { spawnChild, type Child } from './children/spawn';
import { Supervisor } from './children/supervisor';
import type { Cleanup } from './cleanup';
import { startChaosPostgres, type ChaosPostgres } from './postgres';
import { PushRelay } from './push-relay';
import { RssSampler } from './rss';
import { startChaosTemporal, type ChaosTemporal } from './temporal';
import { TIMERS } from './timers';

export interface ChaosStack {
  dir: string;
  log: (line: string) => void;
  api: ApiClient;
  /** The suite's own view of Postgres, for counting rows. */
  db: Db;
  gmail: GmailSandbox;
  graph: GraphSandbox;
  relay: PushRelay;
  postgres: ChaosPostgres;
  temporal: ChaosTemporal;
  rss: RssSampler;
  /** SIGKILL the worker process. */
  killWorker(): Promise<void>;
  startWorker(): Promise<void>;
  workerAlive(): boolean;
  /** Start the API again if it is not running (a crash the supervisor is still restarting from). */
  startApi(): Promise<void>;
  /** API and worker processes that exited on their own, so far. */
  crashes: Supervisor['crashes'];
  stopPostgres(): Promise<void>;
  startPostgres(): Promise<void>;
  stopTemporal(): Promise<void>;
  startTemporal(): Promise<void>;
}

const API_KEY = `chaos-${randomBytes(16).toString('hex')}`;

/** Starts the real stack: Postgres, Temporal, both sandboxes, the push relay, the API and the worker as child processes. */
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
  const graph = await startGraphSandbox({ port: 0 });
  cleanup.add('graph sandbox', () => graph.close());

  const env = childEnv({ postgres, temporal, gmail, graph, apiPort, publicUrl, bundlePath });
  const rss = new RssSampler();
  rss.start();
  cleanup.add('rss sampler', async () => rss.stop());

  const supervisor = new Supervisor(log);

  let api: Child | null = null;
  let apiStarting: Promise<void> = Promise.resolve();
  const launchApi = async () => {
    if (api?.alive()) return;
    const child = await spawnChild({ name: 'api', entry: 'api-main.ts', env, logFile: path.join(dir, 'api.log'), readyLine: 'api ready' });
    cleanup.trackPid(child.pid);
    api = child;
    supervisor.watch('api', child, startApi);
  };
  const startApi = (): Promise<void> => (apiStarting = apiStarting.catch(() => {}).then(launchApi));
  cleanup.add('api', async () => {
    await api?.stop();
  });

  // The worker that polls, and a warm standby (modules loaded, not connected) that replaces it in a second after a kill.
  let worker: Child | null = null;
  let standby: Promise<Child | null> | null = null;
  const workerLog = path.join(dir, 'worker.log');
  const spawnStandby = () =>
    spawnChild({ name: 'worker (standby)', entry: 'worker-main.ts', env: { ...env, CHAOS_STANDBY: '1' }, logFile: workerLog, readyLine: 'standby ready' }).then(
      (child) => {
        cleanup.trackPid(child.pid);
        return child;
      },
      (err: unknown) => {
        log(`a standby worker did not start: ${(err as Error).message}`);
        return null;
      },
    );
  const launchWorker = async () => {
    if (worker?.alive()) return;
    const warm = standby ? await standby : null;
    const next = warm?.alive() ? warm : await spawnStandby();
    if (!next) throw new Error(`no worker process could be started (log: ${workerLog})`);
    await next.tell('go', 'worker ready');
    worker = next;
    rss.follow(next.pid);
    standby = spawnStandby();
    supervisor.watch('worker', next, startWorker);
  };
  // One start at a time: a fault, the restore step and the supervisor may all ask at once.
  let starting: Promise<void> = Promise.resolve();
  const startWorker = (): Promise<void> => (starting = starting.catch(() => {}).then(launchWorker));
  const killWorker = async () => {
    const current = worker;
    worker = null;
    if (!current) return;
    await current.kill();
    cleanup.untrackPid(current.pid);
  };
  cleanup.add('worker', async () => {
    await worker?.stop();
    await (await standby)?.kill();
  });
  // Added last, so it runs first at the end: stopping the children is not a crash.
  cleanup.add('supervisor', async () => supervisor.stop());
  await Promise.all([startApi(), startWorker()]);
  log('API and worker ready');

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
    dir, log, db, gmail, graph, relay, postgres, temporal, rss,
    api: new ApiClient(apiUrl, API_KEY),
    killWorker,
    startWorker,
    workerAlive: () => worker?.alive() ?? false,
    startApi,
    crashes: supervisor.crashes,
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
    GMAIL_PUBSUB_TOPIC: 'projects/mailsync-chaos/topics/gmail',
    MICROSOFT_CLIENT_ID: p.graph.clientId,
    MICROSOFT_CLIENT_SECRET: p.graph.clientSecret,
    MICROSOFT_AUTHORITY: p.graph.authority,
    MICROSOFT_GRAPH_URL: p.graph.graphBaseUrl,
    MICROSOFT_CA_FILE: p.graph.caFile,
    MAILSYNC_FALLBACK_POLL: `${TIMERS.fallbackPollMs}ms`,
    MAILSYNC_MAX_BACKOFF: `${TIMERS.maxBackoffMs}ms`,
    CHAOS_ACTIVITY_TIMEOUT_MS: String(TIMERS.activityTimeoutMs),
    CHAOS_WORKFLOW_BUNDLE: p.bundlePath,
    LOG_LEVEL: 'warn',
  };
}
