import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { CURRENT_SEALED_FORMAT, TokenCipherError, type Keyring, type SealedFormat, type SealedToken, type TokenCipher } from './types';

const ALGORITHM = 'aes-256-gcm';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * The key id is bound as associated data, so a row whose key_id was edited fails authentication
 * instead of being decrypted under a different key's name; from format 2 the account id is bound
 * too, so a ciphertext copied onto another account's row does not open there.
 */
function associatedData(format: SealedFormat, keyId: string, accountId: string): Buffer {
  if (format === 1) return Buffer.from(`mailsync-token-v1:${keyId}`, 'utf8');
  return Buffer.from(`mailsync-token-v2:${keyId}:${accountId}`, 'utf8');
}

function copyKeys(keyring: Keyring): ReadonlyMap<string, Buffer> {
  const keys = new Map<string, Buffer>();
  for (const [id, key] of Object.entries(keyring.keys)) {
    if (!Buffer.isBuffer(key) || key.length !== KEY_BYTES) {
      throw new TokenCipherError('BAD_KEY', `encryption key "${id}" must be ${KEY_BYTES} bytes`);
    }
    keys.set(id, Buffer.from(key));
  }
  if (!keys.has(keyring.activeKeyId)) {
    throw new TokenCipherError('UNKNOWN_KEY_ID', `active key id "${keyring.activeKeyId}" is not in the keyring (ids: ${[...keys.keys()].join(', ')})`);
  }
  return keys;
}

function checkShape(sealed: SealedToken): void {
  if (sealed.format !== 1 && sealed.format !== 2) throw new TokenCipherError('MALFORMED', `sealed token format ${String(sealed.format)} is not known`);
  if (!Buffer.isBuffer(sealed.iv) || sealed.iv.length !== IV_BYTES) {
    throw new TokenCipherError('MALFORMED', `sealed token iv must be ${IV_BYTES} bytes`);
  }
  if (!Buffer.isBuffer(sealed.tag) || sealed.tag.length !== TAG_BYTES) {
    throw new TokenCipherError('MALFORMED', `sealed token tag must be ${TAG_BYTES} bytes`);
  }
  if (!Buffer.isBuffer(sealed.ciphertext)) throw new TokenCipherError('MALFORMED', 'sealed token ciphertext must be bytes');
}

/** AES-256-GCM envelope for refresh tokens at rest, bound to their account, with key ids kept for rotation. */
export function createTokenCipher(keyring: Keyring): TokenCipher {
  const keys = copyKeys(keyring);
  const activeKeyId = keyring.activeKeyId;

  function keyFor(keyId: string): Buffer {
    const key = keys.get(keyId);
    if (!key) {
      throw new TokenCipherError('UNKNOWN_KEY_ID', `no encryption key with id "${keyId}" in the keyring (ids: ${[...keys.keys()].join(', ')}); add it to MAILSYNC_ENCRYPTION_KEYS`);
    }
    return key;
  }

  return {
    activeKeyId,
    encrypt(plaintext: string, accountId: string): SealedToken {
      const iv = randomBytes(IV_BYTES);
      const format = CURRENT_SEALED_FORMAT;
      const cipher = createCipheriv(ALGORITHM, keyFor(activeKeyId), iv, { authTagLength: TAG_BYTES });
      cipher.setAAD(associatedData(format, activeKeyId, accountId));
      const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return { keyId: activeKeyId, format, iv, tag: cipher.getAuthTag(), ciphertext };
    },
    decrypt(sealed: SealedToken, accountId: string): string {
      const key = keyFor(sealed.keyId);
      checkShape(sealed);
      const decipher = createDecipheriv(ALGORITHM, key, sealed.iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(associatedData(sealed.format, sealed.keyId, accountId));
      decipher.setAuthTag(sealed.tag);
      try {
        return Buffer.concat([decipher.update(sealed.ciphertext), decipher.final()]).toString('utf8');
      } catch {
        throw new TokenCipherError('TAMPERED', `sealed token failed authentication under key "${sealed.keyId}" (altered data or wrong key)`);
      }
    },
    needsRotation(sealed: SealedToken): boolean {
      return sealed.keyId !== activeKeyId || sealed.format !== CURRENT_SEALED_FORMAT;
    },
  };
}
