import type { Config } from '../config';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './backoff';
import type { PrivateAddressPolicy } from './private-address';

/** How webhooks are delivered; from config (MAILSYNC_WEBHOOK_*), injected so tests run in seconds. */
export interface WebhookSettings {
  /** Which private targets are allowed (`none` in production; `npm run dev` allows loopback). */
  allowPrivate: PrivateAddressPolicy;
  /** How often an idle endpoint looks for new events. */
  pollMs: number;
  /** How long one POST may take before it counts as failed. */
  requestTimeoutMs: number;
  retry: RetryPolicy;
  /** Events read per batch. */
  batchSize: number;
  /** A batch starts no new POST after this long, so one activity stays short. */
  batchBudgetMs: number;
}

export const DEFAULT_WEBHOOK_SETTINGS: WebhookSettings = {
  allowPrivate: 'none',
  pollMs: 2_000,
  requestTimeoutMs: 10_000,
  retry: DEFAULT_RETRY_POLICY,
  batchSize: 100,
  batchBudgetMs: 30_000,
};

export function webhookSettingsFromConfig(config: Pick<Config, 'webhook'>): WebhookSettings {
  const { allowPrivate, pollMs, requestTimeoutMs, giveUpMs } = config.webhook;
  return { ...DEFAULT_WEBHOOK_SETTINGS, allowPrivate, pollMs, requestTimeoutMs, retry: { ...DEFAULT_RETRY_POLICY, giveUpMs } };
}
