-- mailsync schema: the whole domain of RULES.md. Frozen once released; change it with a new file.

CREATE TABLE locations (
  id          text PRIMARY KEY,
  name        text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE users (
  id          text PRIMARY KEY,
  email       text NOT NULL,
  name        text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE user_locations (
  user_id      text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  location_id  text NOT NULL REFERENCES locations (id) ON DELETE CASCADE,
  PRIMARY KEY (user_id, location_id)
);

-- Several contacts may share an address (R9); email is stored lower-cased.
CREATE TABLE contacts (
  location_id       text NOT NULL REFERENCES locations (id) ON DELETE CASCADE,
  id                text NOT NULL,
  email             text NOT NULL CHECK (email = lower(email)),
  name              text,
  assigned_user_id  text REFERENCES users (id) ON DELETE SET NULL,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (location_id, id)
);
CREATE INDEX contacts_by_email ON contacts (location_id, email);

-- One provider mailbox; one Temporal workflow each (mailbox/<provider>/<id>).
CREATE TABLE accounts (
  id                  text PRIMARY KEY,
  provider            text NOT NULL CHECK (provider IN ('gmail', 'outlook')),
  address             text NOT NULL CHECK (address = lower(address)),
  status              text NOT NULL DEFAULT 'active'
                        CHECK (status IN ('active', 'backing_off', 'needs_reauth', 'disconnected')),
  daily_send_limit    integer NOT NULL DEFAULT 500 CHECK (daily_send_limit > 0),
  -- Push: the Graph subscription id, and the secret Graph echoes in each notification (clientState).
  subscription_id     text UNIQUE,
  client_state        text NOT NULL,
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now(),
  UNIQUE (provider, address)
);

-- Refresh tokens, AES-256-GCM; key_id names the key for rotation.
CREATE TABLE credentials (
  account_id   text PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
  key_id       text NOT NULL,
  iv           bytea NOT NULL,
  tag          bytea NOT NULL,
  ciphertext   bytea NOT NULL,
  scope        text,
  updated_at   timestamptz NOT NULL DEFAULT now()
);

-- Where the account's sync stands: the provider cursor(s) and the last page applied.
CREATE TABLE sync_state (
  account_id      text PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
  cursor          jsonb NOT NULL DEFAULT '{}'::jsonb,
  baseline_at     timestamptz NOT NULL,
  last_synced_at  timestamptz,
  pages_applied   bigint NOT NULL DEFAULT 0,
  drift_found     bigint NOT NULL DEFAULT 0,
  updated_at      timestamptz NOT NULL DEFAULT now()
);

-- A binding of an account to one CRM user in one location.
CREATE TABLE connections (
  id                text PRIMARY KEY,
  location_id       text NOT NULL REFERENCES locations (id),
  user_id           text NOT NULL REFERENCES users (id),
  account_id        text NOT NULL REFERENCES accounts (id),
  provider          text NOT NULL CHECK (provider IN ('gmail', 'outlook')),
  status            text NOT NULL DEFAULT 'active'
                      CHECK (status IN ('active', 'needs_reauth', 'disconnected')),
  bcc_address       text NOT NULL UNIQUE,
  connected_at      timestamptz NOT NULL DEFAULT now(),
  disconnected_at   timestamptz,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  CHECK ((status = 'disconnected') = (disconnected_at IS NOT NULL))
);
-- A user has at most one live mailbox connection per location.
CREATE UNIQUE INDEX connections_one_live_per_user_location
  ON connections (location_id, user_id) WHERE status <> 'disconnected';
CREATE INDEX connections_by_account ON connections (account_id) WHERE status <> 'disconnected';

-- The CRM thread list for one (location, contact) pair.
CREATE TABLE conversations (
  id           text PRIMARY KEY,
  location_id  text NOT NULL REFERENCES locations (id),
  contact_id   text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  last_message_at timestamptz,
  UNIQUE (location_id, contact_id),
  FOREIGN KEY (location_id, contact_id) REFERENCES contacts (location_id, id)
);

-- (account, provider thread) -> conversation in one location.
CREATE TABLE thread_links (
  id                   bigserial PRIMARY KEY,
  account_id           text NOT NULL REFERENCES accounts (id),
  provider_thread_id   text NOT NULL,
  location_id          text NOT NULL REFERENCES locations (id),
  connection_id        text NOT NULL REFERENCES connections (id),
  conversation_id      text NOT NULL REFERENCES conversations (id),
  state                text NOT NULL DEFAULT 'active' CHECK (state IN ('active', 'stopped', 'broken')),
  reason               text,
  rule_id              text NOT NULL,
  created_at           timestamptz NOT NULL DEFAULT now(),
  updated_at           timestamptz NOT NULL DEFAULT now(),
  CHECK ((state = 'active') = (reason IS NULL))
);
CREATE UNIQUE INDEX thread_links_one_per_location
  ON thread_links (account_id, provider_thread_id, location_id);
CREATE INDEX thread_links_by_connection ON thread_links (connection_id) WHERE state = 'active';

-- Messages in conversations. A CRM send is created before the provider call (status pending),
-- with its RFC Message-ID, so a retried send and the Sent copy can be matched (R22).
CREATE TABLE messages (
  id                    text PRIMARY KEY,
  location_id           text NOT NULL REFERENCES locations (id),
  conversation_id       text NOT NULL REFERENCES conversations (id),
  connection_id         text NOT NULL REFERENCES connections (id),
  account_id            text NOT NULL REFERENCES accounts (id),
  provider_message_id   text,
  provider_thread_id    text,
  rfc_message_id        text NOT NULL,
  in_reply_to           text,
  "references"          text[] NOT NULL DEFAULT '{}',
  direction             text NOT NULL CHECK (direction IN ('inbound', 'outbound')),
  source                text NOT NULL CHECK (source IN ('crm', 'mail_client', 'contact')),
  send_status           text CHECK (send_status IN ('pending', 'sent', 'failed')),
  -- Provider calls started for this CRM send; a later attempt looks the Message-ID up first (R22).
  send_attempts         integer NOT NULL DEFAULT 0,
  send_error            text,
  from_address          text NOT NULL,
  from_name             text,
  to_addresses          text[] NOT NULL DEFAULT '{}',
  cc_addresses          text[] NOT NULL DEFAULT '{}',
  bcc_addresses         text[] NOT NULL DEFAULT '{}',
  subject               text NOT NULL DEFAULT '',
  text_body             text,
  html_body             text,
  rule_id               text NOT NULL,
  message_at            timestamptz NOT NULL,
  created_at            timestamptz NOT NULL DEFAULT now(),
  updated_at            timestamptz NOT NULL DEFAULT now(),
  CHECK ((source = 'crm') = (send_status IS NOT NULL))
);
-- R22: a provider message is stored at most once per location.
CREATE UNIQUE INDEX messages_provider_once_per_location
  ON messages (location_id, account_id, provider_message_id) WHERE provider_message_id IS NOT NULL;
-- R22: one row per RFC message per location and account (the CRM record and its Sent copy are one).
CREATE UNIQUE INDEX messages_rfc_once_per_location ON messages (location_id, account_id, rfc_message_id);
CREATE INDEX messages_by_conversation ON messages (conversation_id, message_at);
CREATE INDEX messages_by_rfc ON messages (account_id, rfc_message_id);
CREATE INDEX messages_crm_sends ON messages (account_id, created_at) WHERE source = 'crm';

CREATE TABLE attachments (
  id                       bigserial PRIMARY KEY,
  message_id               text NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
  position                 integer NOT NULL,
  filename                 text NOT NULL,
  content_type             text NOT NULL,
  size_bytes               integer NOT NULL CHECK (size_bytes >= 0),
  provider_attachment_id   text,
  content                  bytea,
  UNIQUE (message_id, position)
);

-- R18: contacts enrolled for a connection by a BCC-address send; their inbound mail syncs even on Outlook.
CREATE TABLE bcc_enrolments (
  connection_id  text NOT NULL REFERENCES connections (id),
  location_id    text NOT NULL,
  contact_id     text NOT NULL,
  created_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (connection_id, contact_id),
  FOREIGN KEY (location_id, contact_id) REFERENCES contacts (location_id, id)
);

-- Every decision about a provider message, synced or not, with its rule and reason (explain API).
CREATE TABLE sync_decisions (
  id                    bigserial PRIMARY KEY,
  account_id            text NOT NULL REFERENCES accounts (id),
  provider_message_id   text NOT NULL,
  connection_id         text NOT NULL REFERENCES connections (id),
  location_id           text NOT NULL,
  rule_id               text NOT NULL,
  reason                text NOT NULL,
  outcome               text NOT NULL CHECK (outcome IN ('synced', 'skipped', 'matched')),
  message_id            text REFERENCES messages (id),
  detail                jsonb NOT NULL DEFAULT '{}'::jsonb,
  decided_at            timestamptz NOT NULL DEFAULT now(),
  UNIQUE (account_id, provider_message_id, connection_id)
);

-- Transactional outbox: the replayable event feed (GET /v1/events) and signed webhooks.
CREATE TABLE events (
  id             bigserial PRIMARY KEY,
  type           text NOT NULL,
  location_id    text,
  connection_id  text,
  payload        jsonb NOT NULL,
  created_at     timestamptz NOT NULL DEFAULT now(),
  delivered_at   timestamptz,
  attempts       integer NOT NULL DEFAULT 0,
  last_error     text
);
CREATE INDEX events_undelivered ON events (id) WHERE delivered_at IS NULL;

-- Idempotency-Key for POST /v1/connections/:id/messages.
CREATE TABLE idempotency_keys (
  scope          text NOT NULL,
  key            text NOT NULL,
  request_hash   text NOT NULL,
  message_id     text,
  status_code    integer,
  response       jsonb,
  created_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (scope, key)
);

-- OAuth start/callback state (consent flows run by mailsync).
CREATE TABLE oauth_states (
  state          text PRIMARY KEY,
  provider       text NOT NULL,
  location_id    text NOT NULL,
  user_id        text NOT NULL,
  connection_id  text,
  redirect_after text,
  created_at     timestamptz NOT NULL DEFAULT now()
);
