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
] as const;

export type EventType = (typeof EVENT_TYPES)[number];

/** A connection's status as the CRM sees it (GET /v1/connections/:id `sync.status`). */
export type ConnectionStatus = 'active' | 'backing_off' | 'needs_reauth' | 'disconnected';
