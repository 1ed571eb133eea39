import { randomBytes } from 'node:crypto';
import type { TokenCipher } from '../crypto/types';
import type { SealedSecretJson } from '../db/schema';

/** A Standard Webhooks signing secret: `whsec_` and base64 of 32 random bytes. Shown to the CRM once. */
export const newWebhookSecret = () => `whsec_${randomBytes(32).toString('base64')}`;

/** How long the secret before a rotation still signs deliveries. */
export const PREVIOUS_SECRET_GRACE_MS = 24 * 3_600_000;

/** A secret is bound to its endpoint (associated data), as a refresh token is to its account. */
const boundTo = (endpointId: string) => `webhook:${endpointId}`;

export function sealSecret(cipher: TokenCipher, secret: string, endpointId: string): SealedSecretJson {
  const s = cipher.encrypt(secret, boundTo(endpointId));
  return { keyId: s.keyId, format: s.format, iv: s.iv.toString('base64'), tag: s.tag.toString('base64'), ciphertext: s.ciphertext.toString('base64') };
}

export function openSecret(cipher: TokenCipher, sealed: SealedSecretJson, endpointId: string): string {
  return cipher.decrypt(
    { keyId: sealed.keyId, format: sealed.format, iv: Buffer.from(sealed.iv, 'base64'), tag: Buffer.from(sealed.tag, 'base64'), ciphertext: Buffer.from(sealed.ciphertext, 'base64') },
    boundTo(endpointId),
  );
}

/** The secrets a delivery is signed with now: the current one, and the previous one until its expiry. */
export function signingSecrets(
  cipher: TokenCipher,
  endpoint: { id: string; secret: SealedSecretJson; previous_secret: SealedSecretJson | null; previous_secret_expires_at: Date | null },
  now: Date,
): string[] {
  const secrets = [openSecret(cipher, endpoint.secret, endpoint.id)];
  if (endpoint.previous_secret && endpoint.previous_secret_expires_at && endpoint.previous_secret_expires_at > now) {
    secrets.push(openSecret(cipher, endpoint.previous_secret, endpoint.id));
  }
  return secrets;
}
