-- Deleting from the directory (DELETE /v1/locations/:id, /v1/users/:id, /v1/locations/:l/contacts/:id).
-- A location takes everything in it along: its connections (ended first, through the API), conversations,
-- messages with their attachments, thread links and BCC enrolments. A contact takes its conversation and
-- what hangs on it. A user's past connections keep the user id as history, so that reference is no longer
-- a foreign key. Decisions about a deleted message stay, without the message.
-- Frozen once released; change it with a new file.
ALTER TABLE connections DROP CONSTRAINT connections_location_id_fkey,
  ADD CONSTRAINT connections_location_id_fkey FOREIGN KEY (location_id) REFERENCES locations (id) ON DELETE CASCADE;
ALTER TABLE connections DROP CONSTRAINT connections_user_id_fkey;

ALTER TABLE conversations DROP CONSTRAINT conversations_location_id_fkey,
  ADD CONSTRAINT conversations_location_id_fkey FOREIGN KEY (location_id) REFERENCES locations (id) ON DELETE CASCADE;
ALTER TABLE conversations DROP CONSTRAINT conversations_location_id_contact_id_fkey,
  ADD CONSTRAINT conversations_location_id_contact_id_fkey FOREIGN KEY (location_id, contact_id) REFERENCES contacts (location_id, id) ON DELETE CASCADE;

ALTER TABLE thread_links DROP CONSTRAINT thread_links_location_id_fkey,
  ADD CONSTRAINT thread_links_location_id_fkey FOREIGN KEY (location_id) REFERENCES locations (id) ON DELETE CASCADE;
ALTER TABLE thread_links DROP CONSTRAINT thread_links_connection_id_fkey,
  ADD CONSTRAINT thread_links_connection_id_fkey FOREIGN KEY (connection_id) REFERENCES connections (id) ON DELETE CASCADE;
ALTER TABLE thread_links DROP CONSTRAINT thread_links_conversation_id_fkey,
  ADD CONSTRAINT thread_links_conversation_id_fkey FOREIGN KEY (conversation_id) REFERENCES conversations (id) ON DELETE CASCADE;

ALTER TABLE messages DROP CONSTRAINT messages_location_id_fkey,
  ADD CONSTRAINT messages_location_id_fkey FOREIGN KEY (location_id) REFERENCES locations (id) ON DELETE CASCADE;
ALTER TABLE messages DROP CONSTRAINT messages_conversation_id_fkey,
  ADD CONSTRAINT messages_conversation_id_fkey FOREIGN KEY (conversation_id) REFERENCES conversations (id) ON DELETE CASCADE;
ALTER TABLE messages DROP CONSTRAINT messages_connection_id_fkey,
  ADD CONSTRAINT messages_connection_id_fkey FOREIGN KEY (connection_id) REFERENCES connections (id) ON DELETE CASCADE;

ALTER TABLE bcc_enrolments DROP CONSTRAINT bcc_enrolments_connection_id_fkey,
  ADD CONSTRAINT bcc_enrolments_connection_id_fkey FOREIGN KEY (connection_id) REFERENCES connections (id) ON DELETE CASCADE;
ALTER TABLE bcc_enrolments DROP CONSTRAINT bcc_enrolments_location_id_contact_id_fkey,
  ADD CONSTRAINT bcc_enrolments_location_id_contact_id_fkey FOREIGN KEY (location_id, contact_id) REFERENCES contacts (location_id, id) ON DELETE CASCADE;

ALTER TABLE sync_decisions DROP CONSTRAINT sync_decisions_connection_id_fkey,
  ADD CONSTRAINT sync_decisions_connection_id_fkey FOREIGN KEY (connection_id) REFERENCES connections (id) ON DELETE CASCADE;
ALTER TABLE sync_decisions DROP CONSTRAINT sync_decisions_message_id_fkey,
  ADD CONSTRAINT sync_decisions_message_id_fkey FOREIGN KEY (message_id) REFERENCES messages (id) ON DELETE SET NULL;

-- Idempotency keys are kept 24 h (the API's documented window); expired ones are swept by creation time.
CREATE INDEX idempotency_keys_by_age ON idempotency_keys (created_at);
