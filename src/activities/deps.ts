import type { Db } from '../db/client';
import type { TokenCipher } from '../crypto/types';
import type { GoogleEndpoints } from '../providers/gmail/client';
import type { OutlookSettings } from '../providers/outlook/settings';
import type { WebhookSettings } from '../crm-webhooks/settings';
import type { WorkerMetrics } from '../metrics/registry';
import type { IngestSettings } from './sync/memory-bound';

export interface Clock {
  now(): Date;
}

export interface ActivityDeps {
  db: Db;
  cipher: TokenCipher;
  google: GoogleEndpoints & { pubsubTopic: string };
  /** Absent on a worker without Outlook configured. */
  microsoft?: OutlookSettings;
  clock: Clock;
  /** How messages are read and when one is given up as unreadable; DEFAULT_INGEST_SETTINGS when absent. */
  ingest?: IngestSettings;
  /** Webhook delivery timing and target policy; DEFAULT_WEBHOOK_SETTINGS when absent. */
  webhooks?: WebhookSettings;
  /** Where the activities count what they did (README, "Metrics"); nothing is counted when absent. */
  metrics?: WorkerMetrics;
}

export const systemClock: Clock = { now: () => new Date() };

export type { OutlookSettings };
