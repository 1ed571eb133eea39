-- Provider messages that failed to be read or parsed. Counted per (account, provider message id) so a
-- message that never reads is decided (skipped, reason `unreadable`) after a few attempts instead of
-- holding the account's cursor for ever. Frozen once released; change it with a new file.
CREATE TABLE unreadable_messages (
  account_id           text NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  provider_message_id  text NOT NULL,
  -- Counted attempts: failures closer together than the configured gap count once.
  attempts             integer NOT NULL CHECK (attempts >= 1),
  first_failed_at      timestamptz NOT NULL DEFAULT now(),
  last_counted_at      timestamptz NOT NULL DEFAULT now(),
  last_failed_at       timestamptz NOT NULL DEFAULT now(),
  -- 'parse' (the bytes are not a readable message), 'too_large', 'provider' (the provider failed on this id).
  last_kind            text NOT NULL CHECK (last_kind IN ('parse', 'too_large', 'provider')),
  last_error           text NOT NULL,
  -- Set when the message was decided skipped/unreadable; the cursor then moves past it.
  decided_at           timestamptz,
  PRIMARY KEY (account_id, provider_message_id)
);
