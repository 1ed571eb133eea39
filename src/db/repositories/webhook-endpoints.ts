import { sql } from 'kysely';
import type { DbOrTrx } from '../client';
import type { SealedSecretJson, WebhookDeliveryRow, WebhookDeliveryStatus, WebhookEndpointRow } from '../schema';

/** The one home of `webhook_endpoints` and `webhook_deliveries` (migration 0007). */

export interface NewEndpoint {
  id: string;
  url: string;
  description: string | null;
  eventTypes: string[];
  enabled: boolean;
  secret: SealedSecretJson;
}

/** Delivery to a new endpoint starts after `startAfter` (a feed position). */
export async function insertEndpoint(db: DbOrTrx, e: NewEndpoint, startAfter: string): Promise<WebhookEndpointRow> {
  return db
    .insertInto('webhook_endpoints')
    .values({
      id: e.id,
      url: e.url,
      description: e.description,
      event_types: e.eventTypes,
      enabled: e.enabled,
      secret: JSON.stringify(e.secret),
      position: startAfter,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** The endpoint configured by MAILSYNC_WEBHOOK_URL: created once, its URL and secret kept in step with the environment. */
export async function upsertConfiguredEndpoint(db: DbOrTrx, e: NewEndpoint, startAfter: string): Promise<WebhookEndpointRow> {
  return db
    .insertInto('webhook_endpoints')
    .values({ id: e.id, url: e.url, description: e.description, event_types: e.eventTypes, enabled: e.enabled, secret: JSON.stringify(e.secret), position: startAfter })
    .onConflict((oc) => oc.column('id').doUpdateSet({ url: e.url, secret: JSON.stringify(e.secret), updated_at: sql`now()` as never }))
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function findEndpoint(db: DbOrTrx, id: string): Promise<WebhookEndpointRow | undefined> {
  return db.selectFrom('webhook_endpoints').selectAll().where('id', '=', id).executeTakeFirst();
}

/** In id order, after the cursor (the last id of the previous page). */
export async function listEndpoints(db: DbOrTrx, opts: { limit: number; after?: string | undefined }): Promise<WebhookEndpointRow[]> {
  let query = db.selectFrom('webhook_endpoints').selectAll().orderBy('id').limit(opts.limit);
  if (opts.after) query = query.where('id', '>', opts.after);
  return query.execute();
}

export async function listEndpointIds(db: DbOrTrx): Promise<string[]> {
  const rows = await db.selectFrom('webhook_endpoints').select('id').where('enabled', '=', true).where('status', '=', 'active').execute();
  return rows.map((r) => r.id);
}

export async function updateEndpoint(
  db: DbOrTrx,
  id: string,
  patch: { url?: string; description?: string | null; eventTypes?: string[]; enabled?: boolean },
): Promise<WebhookEndpointRow | undefined> {
  return db
    .updateTable('webhook_endpoints')
    .set({
      ...(patch.url !== undefined ? { url: patch.url } : {}),
      ...(patch.description !== undefined ? { description: patch.description } : {}),
      ...(patch.eventTypes !== undefined ? { event_types: patch.eventTypes } : {}),
      ...(patch.enabled !== undefined ? { enabled: patch.enabled } : {}),
      updated_at: sql`now()` as never,
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}

export async function deleteEndpoint(db: DbOrTrx, id: string): Promise<boolean> {
  const res = await db.deleteFrom('webhook_endpoints').where('id', '=', id).executeTakeFirst();
  return Number(res.numDeletedRows) > 0;
}

/** The current secret becomes the previous one, valid until `previousExpiresAt`. */
export async function rotateSecret(db: DbOrTrx, id: string, secret: SealedSecretJson, previousExpiresAt: Date): Promise<WebhookEndpointRow | undefined> {
  return db
    .updateTable('webhook_endpoints')
    .set({ previous_secret: sql`secret` as never, previous_secret_expires_at: previousExpiresAt, secret: JSON.stringify(secret), updated_at: sql`now()` as never })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}

/**
 * Delivery starts again after `after` (the endpoint active again, its failure streak forgotten). The new
 * generation makes a delivery that read the old position unable to move it.
 */
export async function restartDeliveryAfter(db: DbOrTrx, id: string, after: string | null): Promise<WebhookEndpointRow | undefined> {
  return db
    .updateTable('webhook_endpoints')
    .set({
      ...(after !== null ? { position: after } : {}),
      generation: sql`generation + 1` as never,
      status: 'active',
      failing_since: null,
      failed_attempts: 0,
      updated_at: sql`now()` as never,
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}

/** Moves the endpoint past `position` (delivered, or not its type); false when a re-delivery changed the generation meanwhile. */
export async function advancePosition(db: DbOrTrx, endpoint: { id: string; generation: number }, position: string, endsStreak = false): Promise<boolean> {
  const res = await db
    .updateTable('webhook_endpoints')
    .set({ position, ...(endsStreak ? { failing_since: null, failed_attempts: 0 } : {}) })
    .where('id', '=', endpoint.id)
    .where('generation', '=', endpoint.generation)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}

export interface AttemptRecord {
  position: string;
  eventType: string;
  statusCode: number | null;
  error: string | null;
  at: Date;
}

/** A 2xx: the delivery row and the endpoint's position, together. False when the generation changed. */
export async function recordDelivered(db: DbOrTrx, endpoint: { id: string; generation: number }, a: AttemptRecord): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    if (!(await advancePosition(trx, endpoint, a.position, true))) return false;
    await upsertAttempt(trx, endpoint.id, a, 'delivered', null);
    return true;
  });
}

/**
 * A failed attempt. `nextAttemptAt` null means the endpoint gave up: it is marked failing, and the
 * delivery stays for re-delivery. False when the generation changed.
 */
export async function recordFailed(db: DbOrTrx, endpoint: { id: string; generation: number }, a: AttemptRecord, nextAttemptAt: Date | null): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const res = await trx
      .updateTable('webhook_endpoints')
      .set({ failing_since: sql`coalesce(failing_since, ${a.at})` as never, failed_attempts: sql`failed_attempts + 1` as never, ...(nextAttemptAt === null ? { status: 'failing' as const } : {}) })
      .where('id', '=', endpoint.id)
      .where('generation', '=', endpoint.generation)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) === 0) return false;
    await upsertAttempt(trx, endpoint.id, a, nextAttemptAt === null ? 'failed' : 'retrying', nextAttemptAt);
    return true;
  });
}

async function upsertAttempt(db: DbOrTrx, endpointId: string, a: AttemptRecord, status: WebhookDeliveryStatus, nextAttemptAt: Date | null): Promise<void> {
  const values = {
    status,
    last_status_code: a.statusCode,
    last_error: a.error,
    last_attempt_at: a.at,
    next_attempt_at: nextAttemptAt,
    delivered_at: status === 'delivered' ? a.at : null,
  };
  await db
    .insertInto('webhook_deliveries')
    .values({ endpoint_id: endpointId, position: a.position, event_type: a.eventType, attempts: 1, ...values })
    .onConflict((oc) => oc.columns(['endpoint_id', 'position']).doUpdateSet({ ...values, attempts: sql`webhook_deliveries.attempts + 1` as never }))
    .execute();
}

/** Newest first, before the cursor (the last position of the previous page). */
export async function listDeliveries(db: DbOrTrx, endpointId: string, opts: { limit: number; before?: string | undefined }): Promise<WebhookDeliveryRow[]> {
  let query = db.selectFrom('webhook_deliveries').selectAll().where('endpoint_id', '=', endpointId).orderBy('position', 'desc').limit(opts.limit);
  if (opts.before) query = query.where('position', '<', opts.before);
  return query.execute();
}

/** True when an enabled endpoint lists this event type (opt-in types are written to the feed only then). */
export async function someEndpointWants(db: DbOrTrx, eventType: string): Promise<boolean> {
  const row = await db
    .selectFrom('webhook_endpoints')
    .select('id')
    .where('enabled', '=', true)
    .where(sql<boolean>`${eventType} = any(event_types)`)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}
