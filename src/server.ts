import { buildApp } from './api/app';
import { loadConfigOrExit } from './config';
import { createTokenCipherFromConfig } from './crypto/from-config';
import { createDb } from './db/client';
import { createMailboxIdentity } from './providers/identity';
import { outlookSettings } from './providers/outlook/settings';
import { createTemporalClient } from './temporal/client';
import { pacingFromConfig } from './workflows/pacing-config';

async function main(): Promise<void> {
  const config = loadConfigOrExit();
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
    logger: { level: process.env.LOG_LEVEL ?? 'info', redact: ['req.headers.authorization'] },
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
}

main().catch((err: unknown) => {
  process.stderr.write(`api: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
