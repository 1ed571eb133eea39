/**
 * Every event type mailsync writes to its feed (GET /v1/events) and webhooks, declared once. Payload
 * schemas for the OpenAPI document are in src/api/event-schemas.ts, one per type.
 */
export const EVENT_TYPES = [
  'connection.connected',
  'connection.reauthorized',
  'connection.account_updated',
  'connection.disconnected',
  'connection.needs_reauth',
  'connection.status_changed',
  'message.synced',
  'message.sent',
  'message.send_failed',
  'message.unreadable',
  'message.updated',
  'message.deleted',
  'sync.cursor_expired',
  'sync.drift_healed',
  'decision.skipped',
] as const;

export type EventType = (typeof EVENT_TYPES)[number];

/**
 * Types a webhook endpoint gets only when it lists them. `decision.skipped` is written to the feed
 * only while an enabled endpoint lists it (one per message not synced, per connection: costly to keep
 * for nobody).
 */
export const OPT_IN_EVENT_TYPES: readonly EventType[] = ['decision.skipped'];

/** A connection's status as the CRM sees it (GET /v1/connections/:id `sync.status`). */
export type ConnectionStatus = 'active' | 'backing_off' | 'needs_reauth' | 'disconnected';
