-- A CRM send whose outcome is not known yet (the provider never answered) is 'unknown' until the
-- mailbox workflow reconciles it by Message-ID lookup; it is never reported failed on a guess.
ALTER TABLE messages DROP CONSTRAINT messages_send_status_check;
ALTER TABLE messages ADD CONSTRAINT messages_send_status_check CHECK (send_status IN ('pending', 'unknown', 'sent', 'failed'));

-- When the provider call of the latest send attempt started; cleared once the provider answered. While
-- it is set, no later attempt sends until that call can no longer reach the provider (R22).
ALTER TABLE messages ADD COLUMN send_attempt_started_at timestamptz;

-- R22: one CRM record per RFC message per location and account, and at most one provider copy beside
-- it: an inbound message that reuses a CRM send's Message-ID is stored, not taken for its Sent copy.
DROP INDEX messages_rfc_once_per_location;
CREATE UNIQUE INDEX messages_rfc_once_per_location ON messages (location_id, account_id, rfc_message_id, (source = 'crm'));
