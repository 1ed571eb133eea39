import type { Clock } from '../activities/deps';
import type { TokenCipher } from '../crypto/types';
import type { Db } from '../db/client';
import { readEvents, type FeedEvent } from '../db/repositories/events';
import { advancePosition, findEndpoint, recordDelivered, recordFailed } from '../db/repositories/webhook-endpoints';
import type { WebhookEndpointRow } from '../db/schema';
import { DomainError } from '../domain-errors';
import { webhookFailureKind } from '../metrics/labels';
import type { WorkerMetrics } from '../metrics/registry';
import { afterFailure } from './backoff';
import { checkWebhookUrl, type Resolve } from './endpoint-url';
import { endpointWants } from './event-filter';
import { signingSecrets } from './secrets';
import type { WebhookSettings } from './settings';
import { postSigned, webhookIdOf, type PostOutcome, type WebhookMessage } from './signed-post';

export interface DeliverDeps {
  db: Db;
  cipher: TokenCipher;
  clock: Clock;
  settings: WebhookSettings;
  resolve?: Resolve;
  metrics?: WorkerMetrics;
}

/** What the endpoint's workflow does next: stop, or wait `waitMs` (0: go on at once) unless woken. */
export type WebhookBatchResult =
  | { stop: 'deleted' | 'disabled' | 'failing' }
  | { stop: null; delivered: number; waitMs: number };

export const feedMessage = (event: FeedEvent): WebhookMessage => ({
  id: webhookIdOf(event.position),
  type: event.type,
  timestamp: event.createdAt,
  data: { ...event.payload, eventId: event.position, locationId: event.locationId, connectionId: event.connectionId },
});

/** The URL is checked before each batch: a name may now resolve somewhere refused. A refusal is a failed attempt. */
async function post(deps: DeliverDeps, endpoint: WebhookEndpointRow, event: FeedEvent): Promise<PostOutcome> {
  try {
    await checkWebhookUrl(endpoint.url, deps.settings.allowPrivate, deps.resolve, 'url');
  } catch (err) {
    if (err instanceof DomainError) return { ok: false, statusCode: null, error: err.message, durationMs: 0 };
    throw err;
  }
  return postSigned(endpoint.url, signingSecrets(deps.cipher, endpoint, deps.clock.now()), feedMessage(event), deps.settings.requestTimeoutMs);
}

/**
 * One batch for one endpoint: the events after its position, in order, each POSTed and recorded on its
 * own (no transaction is open during a POST). The first failure ends the batch; its retry time, or the
 * endpoint giving up, comes from the backoff module. Writes carry the generation read here, so a
 * re-delivery made meanwhile wins.
 */
export async function deliverBatch(deps: DeliverDeps, endpointId: string): Promise<WebhookBatchResult> {
  const endpoint = await findEndpoint(deps.db, endpointId);
  if (!endpoint) return { stop: 'deleted' };
  if (!endpoint.enabled) return { stop: 'disabled' };
  if (endpoint.status === 'failing') return { stop: 'failing' };
  const { settings, clock } = deps;
  const events = await readEvents(deps.db, { after: endpoint.position, limit: settings.batchSize });
  const startedMs = clock.now().getTime();
  let delivered = 0;
  let passed: string | null = null;
  let budgetSpent = false;
  for (const event of events) {
    if (!endpointWants(endpoint.event_types, event.type)) {
      passed = event.position;
      continue;
    }
    if (clock.now().getTime() - startedMs > settings.batchBudgetMs) {
      budgetSpent = true;
      break;
    }
    const outcome = await post(deps, endpoint, event);
    const at = clock.now();
    const attempt = { position: event.position, eventType: event.type, statusCode: outcome.statusCode, error: outcome.error, at };
    if (outcome.ok) {
      deps.metrics?.webhookDeliveryLag.observe(Math.max(0, at.getTime() - event.createdAt.getTime()) / 1000);
      if (!(await recordDelivered(deps.db, endpoint, attempt))) return { stop: null, delivered, waitMs: 0 };
      delivered++;
      passed = null;
      continue;
    }
    deps.metrics?.webhookFailures.inc({ kind: webhookFailureKind(outcome.statusCode) });
    if (passed !== null) await advancePosition(deps.db, endpoint, passed);
    const failingSinceMs = (endpoint.failing_since ?? at).getTime();
    const next = afterFailure({ attempt: endpoint.failed_attempts + 1, failingSinceMs, nowMs: at.getTime(), policy: settings.retry, random: Math.random() });
    const recorded = await recordFailed(deps.db, endpoint, attempt, next.giveUp ? null : new Date(at.getTime() + next.retryInMs));
    if (!recorded) return { stop: null, delivered, waitMs: 0 };
    return next.giveUp ? { stop: 'failing' } : { stop: null, delivered, waitMs: next.retryInMs };
  }
  if (passed !== null && !(await advancePosition(deps.db, endpoint, passed))) return { stop: null, delivered, waitMs: 0 };
  const caughtUp = !budgetSpent && events.length < settings.batchSize;
  return { stop: null, delivered, waitMs: caughtUp ? settings.pollMs : 0 };
}
