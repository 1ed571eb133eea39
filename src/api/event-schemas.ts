import { Type, type TSchema } from 'typebox';
import { EVENT_TYPES, type EventType } from '../event-types';

const Str = Type.String();
const NullableStr = Type.Union([Type.String(), Type.Null()]);
const Origin = Type.Union([Type.Literal('mailbox'), Type.Literal('crm')], { description: 'mailbox: read from the change stream; crm: PATCH /v1/messages/:id' });
const Status = Type.Union(['active', 'backing_off', 'needs_reauth', 'disconnected'].map((s) => Type.Literal(s)));

/** The payload of each event type, as written to the feed and webhooks. Listed in the OpenAPI document under components. */
export const EVENT_PAYLOADS: Record<EventType, TSchema> = {
  'connection.connected': Type.Object({ connectionId: Str, provider: Type.Union([Type.Literal('gmail'), Type.Literal('outlook')]), address: Str }),
  'connection.reauthorized': Type.Object({ connectionId: Str, address: Str }),
  'connection.account_updated': Type.Object({ connectionId: Str, address: Str, previousAccountId: Str }),
  'connection.disconnected': Type.Object({ connectionId: Str, linksStopped: Type.Integer(), cause: Type.Union([Type.Literal('disconnected'), Type.Literal('user_left_location'), Type.Literal('user_deleted'), Type.Literal('location_deleted')]) }),
  'connection.needs_reauth': Type.Object({ connectionId: Str, reason: Str }),
  'connection.status_changed': Type.Object({
    connectionId: Str,
    status: Status,
    previousStatus: Type.Union([Status, Type.Null()]),
    reason: Type.Union([Str, Type.Null()], { description: 'e.g. the provider refusal for needs_reauth, new_credentials, disconnected or user_left_location; null for backing_off and its end (see the connection\'s lastError)' }),
  }),
  'message.synced': Type.Object({
    messageId: Str,
    conversationId: Str,
    direction: Type.Union([Type.Literal('inbound'), Type.Literal('outbound')]),
    ruleId: Str,
    providerMessageId: Str,
  }),
  'message.sent': Type.Object({ messageId: Str, conversationId: NullableStr, providerMessageId: Str }),
  'message.send_failed': Type.Object({ messageId: Str, conversationId: NullableStr, rfcMessageId: Str, reason: Str }),
  'message.unreadable': Type.Object({ accountId: Str, providerMessageId: Str, attempts: Type.Integer(), kind: Str, error: Str, ruleId: Str }),
  'message.updated': Type.Object({
    messageId: Str,
    conversationId: Str,
    providerMessageId: Str,
    origin: Origin,
    changed: Type.Array(Type.Union(['read', 'labels', 'folder', 'deleted'].map((f) => Type.Literal(f))), { description: "'deleted': taken back out of the trash" }),
    read: Type.Union([Type.Boolean(), Type.Null()]),
    labels: Type.Union([Type.Array(Str), Type.Null()], { description: 'Gmail label ids' }),
    folder: NullableStr,
    deletedAt: Type.Null(),
  }),
  'message.deleted': Type.Object({
    messageId: Str,
    conversationId: Str,
    providerMessageId: Str,
    origin: Origin,
    permanent: Type.Boolean({ description: 'false: moved to the trash (Gmail TRASH, Outlook Deleted Items); true: deleted for good' }),
    deletedAt: Str,
  }),
  'sync.cursor_expired': Type.Object({ accountId: Str, reconcileSince: Str }),
  'sync.drift_healed': Type.Object({ accountId: Str, healed: Type.Integer(), providerMessageIds: Type.Array(Str) }),
  'decision.skipped': Type.Object(
    { accountId: Str, providerMessageId: Str, connectionId: Str, ruleId: Str, reason: Str, rfcMessageId: NullableStr, subject: NullableStr },
    { description: 'A provider message not synced for this connection, and why (rule id and reason, as GET /v1/connections/:id/decisions explains). Opt-in: written only while a webhook endpoint lists this type.' },
  ),
};

/** Component id of an event type's payload schema, e.g. `EventPayload.message.synced`. */
export const eventSchemaId = (type: EventType): string => `EventPayload.${type}`;

export const eventSchemas = (): TSchema[] => EVENT_TYPES.map((type) => ({ ...EVENT_PAYLOADS[type], $id: eventSchemaId(type), title: type }));
