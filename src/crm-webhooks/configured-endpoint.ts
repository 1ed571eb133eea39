import { lastOutboxDelivered, sequenceEvents } from '../db/repositories/events';
import { listEndpointIds, upsertConfiguredEndpoint } from '../db/repositories/webhook-endpoints';
import { DomainError } from '../domain-errors';
import { checkWebhookUrl } from './endpoint-url';
import type { EndpointDeps } from './endpoints';
import { wakeEndpoint } from './endpoint-workflows';
import { sealSecret } from './secrets';

/** The id of the endpoint MAILSYNC_WEBHOOK_URL configures. */
export const CONFIGURED_ENDPOINT_ID = 'whep_env';

/**
 * At API start: MAILSYNC_WEBHOOK_URL / _SECRET become (or update) the endpoint `whep_env`, which picks
 * up after the last event the old outbox dispatcher delivered; then every active endpoint's workflow is
 * made sure to run. Idempotent, so every API replica may do it.
 */
export async function startWebhookEndpoints(deps: EndpointDeps, configured: { url: string | null; secret: string | null }, log: (line: string) => void): Promise<void> {
  if (configured.url && configured.secret) {
    try {
      await checkWebhookUrl(configured.url, deps.webhooks.allowPrivate, deps.resolve, 'MAILSYNC_WEBHOOK_URL');
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      log(`webhooks: ${err.message}; deliveries to it will fail until that changes`);
    }
    await sequenceEvents(deps.db);
    const endpoint = { id: CONFIGURED_ENDPOINT_ID, url: configured.url, description: 'MAILSYNC_WEBHOOK_URL', eventTypes: [], enabled: true, secret: sealSecret(deps.cipher, configured.secret, CONFIGURED_ENDPOINT_ID) };
    await upsertConfiguredEndpoint(deps.db, endpoint, await lastOutboxDelivered(deps.db));
  }
  for (const id of await listEndpointIds(deps.db)) await wakeEndpoint(deps, id);
}
