import { deliverBatch, type WebhookBatchResult } from '../crm-webhooks/deliver-batch';
import { DEFAULT_WEBHOOK_SETTINGS } from '../crm-webhooks/settings';
import type { ActivityDeps } from './deps';

export function webhookActivities(deps: ActivityDeps) {
  const settings = deps.webhooks ?? DEFAULT_WEBHOOK_SETTINGS;
  return {
    /** One batch of the feed to one endpoint; see `deliverBatch`. */
    async deliverWebhooks(endpointId: string): Promise<WebhookBatchResult> {
      return deliverBatch({ db: deps.db, cipher: deps.cipher, clock: deps.clock, settings, ...(deps.metrics ? { metrics: deps.metrics } : {}) }, endpointId);
    },
  };
}
