-- Webhook endpoints managed through /v1/webhooks. Each endpoint is delivered the event feed in
-- position order by its own workflow (webhook/<id>); `position` is the last feed position it has
-- passed (delivered, or not one of its event types); `failing_since` / `failed_attempts` describe the
-- current streak of failed attempts (backoff and give-up). `generation` grows on every re-delivery so a
-- delivery that read the old position cannot move it. Secrets are sealed with the token keyring
-- (src/crypto) as { keyId, iv, tag, ciphertext } in base64. Frozen once released; change it with a new file.
CREATE TABLE webhook_endpoints (
  id                          text PRIMARY KEY,
  url                         text NOT NULL,
  description                 text,
  event_types                 text[] NOT NULL DEFAULT '{}',
  enabled                     boolean NOT NULL DEFAULT true,
  status                      text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'failing')),
  secret                      jsonb NOT NULL,
  previous_secret             jsonb,
  previous_secret_expires_at  timestamptz,
  position                    bigint NOT NULL DEFAULT 0,
  generation                  integer NOT NULL DEFAULT 0,
  failing_since               timestamptz,
  failed_attempts             integer NOT NULL DEFAULT 0,
  created_at                  timestamptz NOT NULL DEFAULT now(),
  updated_at                  timestamptz NOT NULL DEFAULT now()
);

-- One row per (endpoint, event) tried: what the CRM sees under GET /v1/webhooks/:id/deliveries.
CREATE TABLE webhook_deliveries (
  endpoint_id       text NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
  position          bigint NOT NULL,
  event_type        text NOT NULL,
  status            text NOT NULL CHECK (status IN ('delivered', 'retrying', 'failed')),
  attempts          integer NOT NULL DEFAULT 0,
  last_status_code  integer,
  last_error        text,
  last_attempt_at   timestamptz NOT NULL,
  next_attempt_at   timestamptz,
  delivered_at      timestamptz,
  PRIMARY KEY (endpoint_id, position)
);
