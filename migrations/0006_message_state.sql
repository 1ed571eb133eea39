-- A synced message's state in the mailbox: read or not, its Gmail labels or Outlook folder, and whether
-- it was deleted (moved to the trash, or deleted for good). Written when the message is stored, then by
-- the change stream and by the CRM's own changes (PATCH /v1/messages/:id). Null: not known (messages
-- stored before this migration, and CRM sends until their Sent copy or a change reports it).
-- Frozen once released; change it with a new file.
ALTER TABLE messages ADD COLUMN read boolean;
ALTER TABLE messages ADD COLUMN labels text[];
ALTER TABLE messages ADD COLUMN folder text;
ALTER TABLE messages ADD COLUMN deleted_at timestamptz;
ALTER TABLE messages ADD COLUMN deletion text CHECK (deletion IN ('trash', 'permanent'));
ALTER TABLE messages ADD CONSTRAINT messages_deletion_has_time CHECK ((deletion IS NULL) = (deleted_at IS NULL));
-- The change stream names messages by provider id, across every location that stored them.
CREATE INDEX messages_by_provider_id ON messages (account_id, provider_message_id) WHERE provider_message_id IS NOT NULL;
