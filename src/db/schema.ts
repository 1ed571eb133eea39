import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';
import type { Provider } from '../provider';
import type { Deletion } from '../providers/types';
import type { SealedFormat } from '../crypto/types';

/** Types as node-postgres returns them: timestamptz → Date, bigint → string, jsonb → parsed, bytea → Buffer. */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T = unknown> = ColumnType<T, string, string>;
type BigId = ColumnType<string, never, never>;

export interface LocationsTable { id: string; name: string; created_at: Timestamp; updated_at: Timestamp }
export interface UsersTable { id: string; email: string; name: string; created_at: Timestamp; updated_at: Timestamp }
export interface UserLocationsTable { user_id: string; location_id: string }
export interface ContactsTable {
  location_id: string; id: string; email: string; name: string | null; assigned_user_id: string | null;
  created_at: Timestamp; updated_at: Timestamp;
}
export type AccountStatus = 'active' | 'backing_off' | 'needs_reauth' | 'disconnected';
export interface AccountsTable {
  id: string; provider: Provider; address: string; status: ColumnType<AccountStatus, AccountStatus | undefined, AccountStatus>;
  daily_send_limit: ColumnType<number, number | undefined, number>; subscription_id: ColumnType<string | null, string | null | undefined, string | null>;
  client_state: string; created_at: Timestamp; updated_at: Timestamp;
}
export interface CredentialsTable {
  account_id: string; key_id: string; format: SealedFormat; iv: Buffer; tag: Buffer; ciphertext: Buffer; scope: string | null; updated_at: Timestamp;
}
export interface SyncStateTable {
  account_id: string; cursor: ColumnType<Record<string, unknown>, string | undefined, string>; baseline_at: Timestamp; last_synced_at: Timestamp | null;
  pages_applied: ColumnType<string, never, string>; drift_found: ColumnType<string, never, string>; updated_at: Timestamp;
}
export type ConnectionStatus = 'active' | 'needs_reauth' | 'disconnected';
export interface ConnectionsTable {
  id: string; location_id: string; user_id: string; account_id: string; provider: Provider;
  status: ColumnType<ConnectionStatus, ConnectionStatus | undefined, ConnectionStatus>; bcc_address: string;
  connected_at: Timestamp; disconnected_at: Timestamp | null; created_at: Timestamp; updated_at: Timestamp;
}
export interface ConversationsTable {
  id: string; location_id: string; contact_id: string; created_at: Timestamp; updated_at: Timestamp;
  last_message_at: Timestamp | null;
}
export type LinkState = 'active' | 'stopped' | 'broken';
export interface ThreadLinksTable {
  id: BigId & Generated<string>; account_id: string; provider_thread_id: string; location_id: string; connection_id: string;
  conversation_id: string; state: ColumnType<LinkState, LinkState | undefined, LinkState>; reason: string | null;
  rule_id: string; created_at: Timestamp; updated_at: Timestamp;
}
export type Direction = 'inbound' | 'outbound';
export type MessageSource = 'crm' | 'mail_client' | 'contact';
export type SendStatus = 'pending' | 'unknown' | 'sent' | 'failed';
export interface MessagesTable {
  id: string; location_id: string; conversation_id: string; connection_id: string; account_id: string;
  provider_message_id: string | null; provider_thread_id: string | null; rfc_message_id: string; in_reply_to: string | null;
  references: ColumnType<string[], string[] | undefined, string[]>; direction: Direction; source: MessageSource;
  send_status: SendStatus | null; send_attempts: ColumnType<number, number | undefined, number>; send_error: string | null;
  send_attempt_started_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  from_address: string; from_name: string | null;
  to_addresses: ColumnType<string[], string[] | undefined, string[]>; cc_addresses: ColumnType<string[], string[] | undefined, string[]>;
  bcc_addresses: ColumnType<string[], string[] | undefined, string[]>; subject: ColumnType<string, string | undefined, string>;
  text_body: string | null; html_body: string | null; rule_id: string; message_at: Timestamp; created_at: Timestamp;
  updated_at: Timestamp;
  /** The message's state in the mailbox (migration 0006); null when not known. */
  read: ColumnType<boolean | null, boolean | null | undefined, boolean | null>;
  labels: ColumnType<string[] | null, string[] | null | undefined, string[] | null>;
  folder: ColumnType<string | null, string | null | undefined, string | null>;
  deleted_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  deletion: ColumnType<Deletion | null, Deletion | null | undefined, Deletion | null>;
}
export interface AttachmentsTable {
  id: Generated<string>; message_id: string; position: number; filename: string; content_type: string; size_bytes: number;
  provider_attachment_id: string | null; content: Buffer | null;
}
export interface BccEnrolmentsTable { connection_id: string; location_id: string; contact_id: string; created_at: Timestamp }
export type DecisionOutcome = 'synced' | 'skipped' | 'matched';
export interface SyncDecisionsTable {
  id: Generated<string>; account_id: string; provider_message_id: string; connection_id: string; location_id: string;
  rule_id: string; reason: string; outcome: DecisionOutcome; message_id: string | null;
  detail: Json<Record<string, unknown>>; decided_at: Timestamp;
}
export type UnreadableKind = 'parse' | 'too_large' | 'provider';
export interface UnreadableMessagesTable {
  account_id: string; provider_message_id: string; attempts: number; first_failed_at: Timestamp; last_counted_at: Timestamp;
  last_failed_at: Timestamp; last_kind: UnreadableKind; last_error: string; decided_at: Timestamp | null;
}
export interface EventsTable {
  id: Generated<string>; type: string; location_id: string | null; connection_id: string | null;
  /** Feed position, given after commit by `sequenceEvents` (migration 0005); null until then. */
  position: ColumnType<string | null, never, string | null>;
  payload: Json<Record<string, unknown>>; created_at: Timestamp; delivered_at: Timestamp | null;
  attempts: ColumnType<number, number | undefined, number>; last_error: string | null;
}
export type WebhookEndpointStatus = 'active' | 'failing';
/** A secret sealed by the token cipher, base64 fields (migration 0007). */
export interface SealedSecretJson { keyId: string; format: SealedFormat; iv: string; tag: string; ciphertext: string }
export interface WebhookEndpointsTable {
  id: string; url: string; description: string | null; event_types: ColumnType<string[], string[] | undefined, string[]>;
  enabled: ColumnType<boolean, boolean | undefined, boolean>;
  status: ColumnType<WebhookEndpointStatus, WebhookEndpointStatus | undefined, WebhookEndpointStatus>;
  secret: Json<SealedSecretJson>; previous_secret: ColumnType<SealedSecretJson | null, string | null | undefined, string | null>;
  previous_secret_expires_at: Timestamp | null; position: ColumnType<string, string | undefined, string>;
  generation: ColumnType<number, number | undefined, number>; failing_since: Timestamp | null;
  failed_attempts: ColumnType<number, number | undefined, number>; created_at: Timestamp; updated_at: Timestamp;
}
export type WebhookDeliveryStatus = 'delivered' | 'retrying' | 'failed';
export interface WebhookDeliveriesTable {
  endpoint_id: string; position: string; event_type: string; status: WebhookDeliveryStatus; attempts: ColumnType<number, number | undefined, number>;
  last_status_code: number | null; last_error: string | null; last_attempt_at: Timestamp; next_attempt_at: Timestamp | null; delivered_at: Timestamp | null;
}
export interface IdempotencyKeysTable {
  scope: string; key: string; request_hash: string; message_id: string | null; status_code: number | null;
  response: Json<Record<string, unknown>> | null; created_at: Timestamp;
}
export interface OauthStatesTable {
  state: string; provider: Provider; location_id: string; user_id: string; connection_id: string | null;
  redirect_after: string | null; created_at: Timestamp;
  consent_url: string | null; code_verifier: string | null; browser_hash: Buffer | null;
}

export interface Database {
  locations: LocationsTable;
  users: UsersTable;
  user_locations: UserLocationsTable;
  contacts: ContactsTable;
  accounts: AccountsTable;
  credentials: CredentialsTable;
  sync_state: SyncStateTable;
  connections: ConnectionsTable;
  conversations: ConversationsTable;
  thread_links: ThreadLinksTable;
  messages: MessagesTable;
  attachments: AttachmentsTable;
  bcc_enrolments: BccEnrolmentsTable;
  sync_decisions: SyncDecisionsTable;
  unreadable_messages: UnreadableMessagesTable;
  events: EventsTable;
  idempotency_keys: IdempotencyKeysTable;
  oauth_states: OauthStatesTable;
  webhook_endpoints: WebhookEndpointsTable;
  webhook_deliveries: WebhookDeliveriesTable;
}

export type AccountRow = Selectable<AccountsTable>;
export type WebhookEndpointRow = Selectable<WebhookEndpointsTable>;
export type WebhookDeliveryRow = Selectable<WebhookDeliveriesTable>;
export type ConnectionRow = Selectable<ConnectionsTable>;
export type ContactRow = Selectable<ContactsTable>;
export type MessageRow = Selectable<MessagesTable>;
export type NewMessage = Insertable<MessagesTable>;
