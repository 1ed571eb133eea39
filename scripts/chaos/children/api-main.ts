/**
 * The API as a child process of the fault suite: src/server.ts (keep the two in step) with one
 * addition, the start-to-close timeout of provider activities (CHAOS_ACTIVITY_TIMEOUT_MS), which the
 * API passes to each mailbox workflow it starts, so a dead worker's activity is retried within seconds.
 */
import { buildApp } from '../../../src/api/app';
import { loadConfigOrExit } from '../../../src/config';
import { createTokenCipherFromConfig } from '../../../src/crypto/from-config';
import { createDb } from '../../../src/db/client';
import { createLogger } from '../../../src/logging/logger';
import { createMailboxIdentity } from '../../../src/providers/identity';
import { outlookSettings } from '../../../src/providers/outlook/settings';
import { createTemporalClient } from '../../../src/temporal/client';
import { pacingFromConfig } from '../../../src/workflows/pacing-config';
import { exitWithParent } from './orphan-guard';

async function main(): Promise<void> {
  exitWithParent();
  const config = loadConfigOrExit();
  const activityTimeoutMs = Number(process.env.CHAOS_ACTIVITY_TIMEOUT_MS);
  const db = createDb(config.databaseUrl, { timeouts: config.databaseTimeouts });
  const temporal = await createTemporalClient(config.temporal);
  const app = await buildApp({
    db,
    temporal,
    config,
    cipher: createTokenCipherFromConfig(config),
    identity: createMailboxIdentity({ google: config.google, microsoft: outlookSettings(config) }),
    google: config.google,
    microsoft: outlookSettings(config),
    taskQueue: config.temporal.taskQueue,
    timers: config.timers,
    pacing: pacingFromConfig(config),
    bccDomain: config.bccDomain,
    messageIdDomain: config.messageIdDomain,
    ...(activityTimeoutMs > 0 ? { activityTimeoutMs } : {}),
    logger: createLogger({ name: 'mailsync-api', level: process.env.LOG_LEVEL ? config.logLevel : 'warn' }),
  });
  const close = async () => {
    await app.close();
    await temporal.connection.close();
    await db.destroy();
    process.exit(0);
  };
  process.once('SIGINT', () => void close());
  process.once('SIGTERM', () => void close());
  await app.listen({ host: config.api.host, port: config.api.port });
  process.stdout.write('api ready\n');
}

main().catch((err: unknown) => {
  process.stderr.write(`api: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
