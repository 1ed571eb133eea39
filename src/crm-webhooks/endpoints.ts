import { randomBytes } from 'node:crypto';
import type { TokenCipher } from '../crypto/types';
import type { Db } from '../db/client';
import { latestPosition, sequenceEvents } from '../db/repositories/events';
import * as repo from '../db/repositories/webhook-endpoints';
import type { WebhookEndpointRow } from '../db/schema';
import { DomainError, NotFound } from '../domain-errors';
import { newWebhookEndpointId } from '../ids';
import { checkWebhookUrl, type Resolve } from './endpoint-url';
import { wakeEndpoint, wakeIfRunning, type EndpointWorkflowDeps } from './endpoint-workflows';
import { newWebhookSecret, PREVIOUS_SECRET_GRACE_MS, sealSecret, signingSecrets } from './secrets';
import type { WebhookSettings } from './settings';
import { postSigned, type PostOutcome } from './signed-post';

/** Webhook endpoints managed through the API. Throws domain errors; `src/api` maps them to HTTP. */
export interface EndpointDeps extends EndpointWorkflowDeps {
  db: Db;
  cipher: TokenCipher;
  webhooks: WebhookSettings;
  resolve?: Resolve;
}

export interface EndpointInput {
  url: string;
  description?: string | null | undefined;
  eventTypes?: string[] | undefined;
  enabled?: boolean | undefined;
}

async function mustFind(deps: EndpointDeps, id: string): Promise<WebhookEndpointRow> {
  const row = await repo.findEndpoint(deps.db, id);
  if (!row) throw new NotFound('webhook', id);
  return row;
}

/** Creates an endpoint that gets the events from now on; its secret is returned here and never again. */
export async function createEndpoint(deps: EndpointDeps, input: EndpointInput): Promise<{ endpoint: WebhookEndpointRow; secret: string }> {
  await checkWebhookUrl(input.url, deps.webhooks.allowPrivate, deps.resolve);
  const secret = newWebhookSecret();
  await sequenceEvents(deps.db);
  const id = newWebhookEndpointId();
  const endpoint = await repo.insertEndpoint(
    deps.db,
    { id, url: input.url, description: input.description ?? null, eventTypes: input.eventTypes ?? [], enabled: input.enabled ?? true, secret: sealSecret(deps.cipher, secret, id) },
    await latestPosition(deps.db),
  );
  if (endpoint.enabled) await wakeEndpoint(deps, endpoint.id);
  return { endpoint, secret };
}

export async function listEndpoints(deps: EndpointDeps, opts: { limit: number; after?: string | undefined }): Promise<WebhookEndpointRow[]> {
  return repo.listEndpoints(deps.db, opts);
}

export async function getEndpoint(deps: EndpointDeps, id: string): Promise<WebhookEndpointRow> {
  return mustFind(deps, id);
}

export async function updateEndpoint(deps: EndpointDeps, id: string, patch: Partial<EndpointInput>): Promise<WebhookEndpointRow> {
  if (patch.url !== undefined) await checkWebhookUrl(patch.url, deps.webhooks.allowPrivate, deps.resolve);
  const row = await repo.updateEndpoint(deps.db, id, patch);
  if (!row) throw new NotFound('webhook', id);
  if (row.enabled) await wakeEndpoint(deps, id);
  return row;
}

/** Deleted with its delivery records; its workflow stops on its next batch. */
export async function deleteEndpoint(deps: EndpointDeps, id: string): Promise<WebhookEndpointRow> {
  const row = await mustFind(deps, id);
  await repo.deleteEndpoint(deps.db, id);
  await wakeIfRunning(deps, id);
  return row;
}

/** A new secret, returned once; the old one keeps signing (beside the new) for 24 hours. */
export async function rotateEndpointSecret(deps: EndpointDeps, id: string, now = new Date()): Promise<{ endpoint: WebhookEndpointRow; secret: string }> {
  const secret = newWebhookSecret();
  const endpoint = await repo.rotateSecret(deps.db, id, sealSecret(deps.cipher, secret, id), new Date(now.getTime() + PREVIOUS_SECRET_GRACE_MS));
  if (!endpoint) throw new NotFound('webhook', id);
  return { endpoint, secret };
}

/**
 * Delivers again from the events after `after` (a feed id, as GET /v1/events?after=), or from where it
 * stopped when absent; a failing endpoint becomes active again.
 */
export async function redeliverEndpoint(deps: EndpointDeps, id: string, after: string | null): Promise<WebhookEndpointRow> {
  if (after !== null) {
    await sequenceEvents(deps.db);
    const latest = await latestPosition(deps.db);
    if (BigInt(after) > BigInt(latest)) {
      throw new DomainError('invalid_input', `body.after is past the feed's last event id ${latest}`, { fields: [{ field: 'body.after', problem: `at most ${latest}` }] });
    }
  }
  const row = await repo.restartDeliveryAfter(deps.db, id, after);
  if (!row) throw new NotFound('webhook', id);
  if (row.enabled) await wakeEndpoint(deps, id);
  return row;
}

/** Sends a signed `webhook.test` now, outside the feed, and says how the endpoint answered. */
export async function testEndpoint(deps: EndpointDeps, id: string): Promise<PostOutcome> {
  const row = await mustFind(deps, id);
  await checkWebhookUrl(row.url, deps.webhooks.allowPrivate, deps.resolve, 'url');
  const now = new Date();
  const message = { id: `test_${randomBytes(8).toString('hex')}`, type: 'webhook.test', timestamp: now, data: { endpointId: id } };
  return postSigned(row.url, signingSecrets(deps.cipher, row, now), message, deps.webhooks.requestTimeoutMs);
}

export async function listEndpointDeliveries(deps: EndpointDeps, id: string, opts: { limit: number; before?: string | undefined }) {
  await mustFind(deps, id);
  return repo.listDeliveries(deps.db, id, opts);
}
