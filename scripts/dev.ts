/**
 * `npm run dev`: mailsync on its embedded defaults — Postgres (embedded unless DATABASE_URL), the Temporal
 * dev server with its Web UI (unless TEMPORAL_ADDRESS), the provider sandbox, the worker and the API.
 * Ctrl-C stops everything it started.
 */
import path from 'node:path';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { buildApp } from '../src/api/app';
import { systemClock } from '../src/activities/deps';
import { loadConfig } from '../src/config';
import { createTokenCipherFromConfig } from '../src/crypto';
import { startWebhookEndpoints } from '../src/crm-webhooks/configured-endpoint';
import { webhookSettingsFromConfig } from '../src/crm-webhooks/settings';
import { createDb } from '../src/db/client';
import { createLogger } from '../src/logging/logger';
import { migrateToLatest } from '../src/db/migrate';
import { startEmbeddedPostgres } from '../src/dev/embedded-postgres';
import { loadDevSecrets } from '../src/dev/secrets';
import { createMailboxIdentity } from '../src/providers/identity';
import { outlookSettings } from '../src/providers/outlook/settings';
import { startGmailSandbox } from '@mailsync/provider-sandbox/gmail';
import { startGraphSandbox } from '@mailsync/provider-sandbox/microsoft';
import { findOrBuildTemporalCli } from '../src/temporal/cli';
import { createTemporalClient } from '../src/temporal/client';
import { temporalConnectionOptions } from '../src/temporal/connection-options';
import { startDevServer } from '../src/temporal/dev-server';
import { createMailsyncWorker } from '../src/worker';
import { pacingFromConfig } from '../src/workflows/pacing-config';

const STATE_DIR = path.resolve(__dirname, '../.mailsync');
const log = (line: string) => process.stdout.write(`[dev] ${line}\n`);
const stops: (() => Promise<unknown>)[] = [];

async function main(): Promise<void> {
  const env = { ...process.env };
  Runtime.install({ logger: new DefaultLogger(env.LOG_LEVEL === 'debug' ? 'DEBUG' : 'WARN') });
  const secrets = loadDevSecrets(STATE_DIR);
  env.MAILSYNC_API_KEYS ??= secrets.apiKey;
  env.MAILSYNC_ENCRYPTION_KEYS ??= secrets.encryptionKeys;
  // A webhook receiver on this machine (http://127.0.0.1:…) is what a developer tries first.
  env.MAILSYNC_WEBHOOK_ALLOW_PRIVATE ??= 'loopback';
  const apiPort = Number(env.API_PORT ?? 3000);
  const publicUrl = env.MAILSYNC_PUBLIC_URL ?? `http://127.0.0.1:${apiPort}`;

  if (!env.DATABASE_URL) {
    const pg = await startEmbeddedPostgres(STATE_DIR, Number(env.MAILSYNC_DEV_PG_PORT ?? 54329), log);
    stops.push(pg.stop);
    env.DATABASE_URL = pg.url;
  }
  let uiUrl: string | null = null;
  if (!env.TEMPORAL_ADDRESS) {
    const server = await startDevServer({
      cliPath: findOrBuildTemporalCli(env, log),
      port: Number(env.MAILSYNC_DEV_TEMPORAL_PORT ?? 7233),
      uiPort: Number(env.MAILSYNC_DEV_TEMPORAL_UI_PORT ?? 8233),
      dbFilename: path.join(STATE_DIR, 'temporal.sqlite'),
      log,
    });
    stops.push(server.stop);
    env.TEMPORAL_ADDRESS = server.address;
    uiUrl = server.uiUrl;
  }
  let sandboxUrl: string | null = null;
  let graphUrl: string | null = null;
  if (env.MAILSYNC_SANDBOX !== '0' && !env.GOOGLE_CLIENT_ID) {
    const gmail = await startGmailSandbox({
      port: Number(env.MAILSYNC_SANDBOX_PORT ?? 4010),
      clientId: 'mailsync-sandbox',
      clientSecret: 'mailsync-sandbox-secret',
      pushEndpoint: `${publicUrl}/webhooks/gmail`,
      pushAudience: `${publicUrl}/webhooks/gmail`,
    });
    stops.push(() => gmail.close());
    sandboxUrl = gmail.url;
    Object.assign(env, {
      GOOGLE_CLIENT_ID: 'mailsync-sandbox',
      GOOGLE_CLIENT_SECRET: 'mailsync-sandbox-secret',
      GOOGLE_API_ROOT: gmail.url,
      GOOGLE_TOKEN_URL: gmail.tokenUrl,
      GOOGLE_AUTH_URL: gmail.authUrl,
      GOOGLE_CERTS_URL: gmail.certsUrl,
      GMAIL_PUSH_AUDIENCE: `${publicUrl}/webhooks/gmail`,
      GMAIL_PUSH_SERVICE_ACCOUNT: gmail.pushServiceAccount,
    });
  }

  if (env.MAILSYNC_SANDBOX !== '0' && !env.MICROSOFT_CLIENT_ID) {
    const graph = await startGraphSandbox({ port: Number(env.MAILSYNC_GRAPH_SANDBOX_PORT ?? 4011) });
    stops.push(() => graph.close());
    graphUrl = graph.origin;
    Object.assign(env, {
      MICROSOFT_CLIENT_ID: graph.clientId,
      MICROSOFT_CLIENT_SECRET: graph.clientSecret,
      MICROSOFT_AUTHORITY: graph.authority,
      MICROSOFT_GRAPH_URL: graph.graphBaseUrl,
      MICROSOFT_CA_FILE: graph.caFile,
    });
  }

  const config = loadConfig(env);
  const microsoft = outlookSettings(config);
  const db = createDb(config.databaseUrl, { timeouts: config.databaseTimeouts });
  stops.unshift(() => db.destroy());
  await migrateToLatest(db);
  const cipher = createTokenCipherFromConfig(config);
  const webhooks = webhookSettingsFromConfig(config);

  const connection = await NativeConnection.connect(temporalConnectionOptions(config.temporal));
  const worker = await createMailsyncWorker({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    deps: { db, cipher, google: config.google, microsoft, clock: systemClock, ingest: config.ingest, webhooks },
    activityMemoryBytes: config.workerActivityMemoryBytes,
    workflowCacheMemoryBytes: config.workerWorkflowCacheMemoryBytes,
  });
  const running = worker.run();
  stops.unshift(async () => {
    worker.shutdown();
    await running;
  });

  const temporal = await createTemporalClient(config.temporal);
  const app = await buildApp({
    db, temporal, config, cipher,
    identity: createMailboxIdentity({ google: config.google, microsoft }),
    google: config.google,
    microsoft,
    taskQueue: config.temporal.taskQueue,
    timers: config.timers,
    pacing: pacingFromConfig(config),
    bccDomain: config.bccDomain,
    messageIdDomain: config.messageIdDomain,
    webhooks,
    logger: createLogger({ name: 'mailsync-api', level: env.LOG_LEVEL ? config.logLevel : 'warn' }),
  });
  await startWebhookEndpoints({ db, cipher, temporal, taskQueue: config.temporal.taskQueue, webhooks }, config.webhook, log);
  await app.listen({ host: config.api.host, port: config.api.port });
  stops.unshift(() => app.close());

  const lines = [
    '',
    'mailsync is running',
    `  API            http://${config.api.host}:${config.api.port}`,
    `  API docs       http://${config.api.host}:${config.api.port}/docs`,
    `  API key        ${env.MAILSYNC_API_KEYS === secrets.apiKey ? secrets.apiKey : '(from MAILSYNC_API_KEYS)'}`,
    `  Temporal UI    ${uiUrl ?? `(your server at ${config.temporal.address})`}`,
    `  Gmail sandbox  ${sandboxUrl ?? '(off: real Google configured)'}  control: ${sandboxUrl ?? ''}sandbox/gmail/accounts`,
    `  Graph sandbox  ${graphUrl ?? '(off: real Microsoft configured)'}${graphUrl ? `  control: ${graphUrl}/sandbox/graph/accounts (CA: ${config.microsoft.caFile})` : ''}`,
    `  Postgres       ${config.databaseUrl.replace(/:[^:@/]+@/, ':***@')}`,
    '',
    'Ctrl-C stops everything.',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

let stopping = false;
async function stopAll(code: number): Promise<never> {
  if (stopping) process.exit(code);
  stopping = true;
  log('stopping…');
  for (const stop of stops) {
    try {
      await stop();
    } catch (err) {
      log(`stop failed: ${(err as Error).message}`);
    }
  }
  process.exit(code);
}

process.once('SIGINT', () => void stopAll(0));
process.once('SIGTERM', () => void stopAll(0));
main().catch(async (err: unknown) => {
  process.stderr.write(`[dev] ${err instanceof Error ? err.message : String(err)}\n`);
  await stopAll(1);
});
