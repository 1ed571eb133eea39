import type { Client } from '@temporalio/client';
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../config';
import type { Db } from '../db/client';
import type { ConnectDeps } from '../connections/deps';
import type { SendDeps } from '../crm-send/send';
import type { WebhookSettings } from '../crm-webhooks/settings';
import type { ApiMetrics } from '../metrics/registry';
import type { GoogleEndpoints } from '../providers/gmail/client';
import type { MicrosoftEndpoints } from '../providers/outlook/client';

export interface AppDeps extends ConnectDeps, SendDeps {
  db: Db;
  temporal: Client;
  config: Pick<Config, 'api' | 'timers'> & { temporal: Pick<Config['temporal'], 'address' | 'namespace' | 'taskQueue'>; google: Pick<Config['google'], 'certsUrl' | 'pushAudience' | 'pushServiceAccount'> };
  /** Provider endpoints for consent flows run by mailsync. */
  google: GoogleEndpoints;
  microsoft?: MicrosoftEndpoints;
  /** JSON request logs (src/logging/logger.ts); none when absent. */
  logger?: FastifyBaseLogger;
  /** Webhook target policy and test timeout; DEFAULT_WEBHOOK_SETTINGS when absent. */
  webhooks?: WebhookSettings;
  /** The API's metrics; a fresh set over `db` when absent. */
  metrics?: ApiMetrics;
}
