import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { TokenCipherError, type Keyring, type SealedToken, type TokenCipher } from './types';

const ALGORITHM = 'aes-256-gcm';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * The key id is bound as associated data, so a row whose key_id was edited fails authentication
 * instead of being decrypted under a different key's name.
 */
function associatedData(keyId: string): Buffer {
  return Buffer.from(`mailsync-token-v1:${keyId}`, 'utf8');
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
  if (!Buffer.isBuffer(sealed.iv) || sealed.iv.length !== IV_BYTES) {
    throw new TokenCipherError('MALFORMED', `sealed token iv must be ${IV_BYTES} bytes`);
  }
  if (!Buffer.isBuffer(sealed.tag) || sealed.tag.length !== TAG_BYTES) {
    throw new TokenCipherError('MALFORMED', `sealed token tag must be ${TAG_BYTES} bytes`);
  }
  if (!Buffer.isBuffer(sealed.ciphertext)) throw new TokenCipherError('MALFORMED', 'sealed token ciphertext must be bytes');
}

/** AES-256-GCM envelope for refresh tokens at rest, with key ids kept for rotation. */
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
    encrypt(plaintext: string): SealedToken {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv(ALGORITHM, keyFor(activeKeyId), iv, { authTagLength: TAG_BYTES });
      cipher.setAAD(associatedData(activeKeyId));
      const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return { keyId: activeKeyId, iv, tag: cipher.getAuthTag(), ciphertext };
    },
    decrypt(sealed: SealedToken): string {
      const key = keyFor(sealed.keyId);
      checkShape(sealed);
      const decipher = createDecipheriv(ALGORITHM, key, sealed.iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(associatedData(sealed.keyId));
      decipher.setAuthTag(sealed.tag);
      try {
        return Buffer.concat([decipher.update(sealed.ciphertext), decipher.final()]).toString('utf8');
      } catch {
        throw new TokenCipherError('TAMPERED', `sealed token failed authentication under key "${sealed.keyId}" (altered data or wrong key)`);
      }
    },
    needsRotation(sealed: SealedToken): boolean {
      return sealed.keyId !== activeKeyId;
    },
  };
}
