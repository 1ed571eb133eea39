-- Refresh tokens bound to their account: format 2 seals with the account id in the AES-GCM associated
-- data, so a ciphertext copied onto another account's row does not decrypt. Rows already stored are
-- format 1 (key id only) and still decrypt; `npm run keys:rotate` re-seals them as format 2.
-- Frozen once released; change it with a new file.
ALTER TABLE credentials ADD COLUMN format smallint NOT NULL DEFAULT 1 CHECK (format IN (1, 2));
ALTER TABLE credentials ALTER COLUMN format DROP DEFAULT;
CREATE INDEX credentials_by_key ON credentials (key_id, format);

-- OAuth consent flows bound to the browser that started them: the authorize step (once) stores the
-- SHA-256 of a random value it sets in an HttpOnly cookie, and the callback must bring that cookie.
-- The PKCE verifier stays here, never in the browser; the consent URL is what authorize redirects to.
ALTER TABLE oauth_states ADD COLUMN consent_url text;
ALTER TABLE oauth_states ADD COLUMN code_verifier text;
ALTER TABLE oauth_states ADD COLUMN browser_hash bytea;
