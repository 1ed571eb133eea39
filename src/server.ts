import { buildApp } from './api/app';
import { apiMetricsFor } from './api/metrics';
import { loadConfigOrExit } from './config';
import { createTokenCipherFromConfig } from './crypto/from-config';
import { createDb } from './db/client';
import { createLogger } from './logging/logger';
import { createMailboxIdentity } from './providers/identity';
import { outlookSettings } from './providers/outlook/settings';
import { startWebhookEndpoints } from './crm-webhooks/configured-endpoint';
import { webhookSettingsFromConfig } from './crm-webhooks/settings';
import { createTemporalClient } from './temporal/client';
import { pacingFromConfig } from './workflows/pacing-config';

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const logger = createLogger({ name: 'mailsync-api', level: config.logLevel });
  const db = createDb(config.databaseUrl, { timeouts: config.databaseTimeouts });
  const temporal = await createTemporalClient(config.temporal);
  const cipher = createTokenCipherFromConfig(config);
  const webhooks = webhookSettingsFromConfig(config);
  const app = await buildApp({
    db,
    temporal,
    config,
    cipher,
    identity: createMailboxIdentity({ google: config.google, microsoft: outlookSettings(config) }),
    google: config.google,
    microsoft: outlookSettings(config),
    taskQueue: config.temporal.taskQueue,
    timers: config.timers,
    pacing: pacingFromConfig(config),
    bccDomain: config.bccDomain,
    messageIdDomain: config.messageIdDomain,
    webhooks,
    metrics: apiMetricsFor(db, { processMetrics: true }),
    logger,
  });
  const close = async () => {
    await app.close();
    await temporal.connection.close();
    await db.destroy();
    process.exit(0);
  };
  process.once('SIGINT', () => void close());
  process.once('SIGTERM', () => void close());
  await startWebhookEndpoints({ db, cipher, temporal, taskQueue: config.temporal.taskQueue, webhooks }, config.webhook, (line) => app.log.warn(line));
  await app.listen({ host: config.api.host, port: config.api.port });
}

main().catch((err: unknown) => {
  process.stderr.write(`api: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
