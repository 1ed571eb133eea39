import { createCipheriv, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createTokenCipher } from './token-cipher';
import { TokenCipherError, type SealedToken } from './types';

const k1 = randomBytes(32);
const k2 = randomBytes(32);
const token = '1//0gRefresh-Token_with.ünïcode';

function flip(buffer: Buffer, index = 0): Buffer {
  const copy = Buffer.from(buffer);
  copy[index] = (copy[index] ?? 0) ^ 0x01;
  return copy;
}

function errorOf(fn: () => unknown): TokenCipherError {
  try {
    fn();
  } catch (err) {
    if (err instanceof TokenCipherError) return err;
    throw err;
  }
  throw new Error('expected a TokenCipherError');
}

/** A token as stored before tokens were bound to their account: format 1, key id only in the associated data. */
function sealFormat1(key: Buffer, keyId: string, plaintext: string): SealedToken {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: 16 });
  cipher.setAAD(Buffer.from(`mailsync-token-v1:${keyId}`, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return { keyId, format: 1, iv, tag: cipher.getAuthTag(), ciphertext };
}

describe('createTokenCipher', () => {
  it('round-trips a token under the active key with a fresh 12-byte iv and 16-byte tag', () => {
    const cipher = createTokenCipher({ keys: { k1 }, activeKeyId: 'k1' });
    const a = cipher.encrypt(token, 'acc_1');
    const b = cipher.encrypt(token, 'acc_1');
    expect(a.keyId).toBe('k1');
    expect(a.iv).toHaveLength(12);
    expect(a.tag).toHaveLength(16);
    expect(a.ciphertext.toString('utf8')).not.toContain('Refresh');
    expect(a.iv.equals(b.iv)).toBe(false);
    expect(a.ciphertext.equals(b.ciphertext)).toBe(false);
    expect(cipher.decrypt(a, 'acc_1')).toBe(token);
    expect(cipher.decrypt(b, 'acc_1')).toBe(token);
  });

  it('binds a token to its account: it seals as format 2 and does not open for another account', () => {
    const cipher = createTokenCipher({ keys: { k1 }, activeKeyId: 'k1' });
    const sealed = cipher.encrypt(token, 'acc_1');
    expect(sealed.format).toBe(2);
    expect(cipher.decrypt(sealed, 'acc_1')).toBe(token);
    expect(errorOf(() => cipher.decrypt(sealed, 'acc_2')).code).toBe('TAMPERED');
    expect(errorOf(() => cipher.decrypt({ ...sealed, format: 1 }, 'acc_1')).code).toBe('TAMPERED');
  });

  it('still opens a format-1 token stored before the binding, and flags it for re-sealing', () => {
    const cipher = createTokenCipher({ keys: { k1 }, activeKeyId: 'k1' });
    const old = sealFormat1(k1, 'k1', token);
    expect(cipher.decrypt(old, 'acc_1')).toBe(token);
    expect(cipher.needsRotation(old)).toBe(true);
    expect(cipher.needsRotation(cipher.encrypt(token, 'acc_1'))).toBe(false);
  });

  it('rejects an unknown format as malformed', () => {
    const cipher = createTokenCipher({ keys: { k1 }, activeKeyId: 'k1' });
    const sealed = cipher.encrypt(token, 'acc_1');
    expect(errorOf(() => cipher.decrypt({ ...sealed, format: 3 as never }, 'acc_1')).code).toBe('MALFORMED');
  });

  it('round-trips an empty string', () => {
    const cipher = createTokenCipher({ keys: { k1 }, activeKeyId: 'k1' });
    expect(cipher.decrypt(cipher.encrypt('', 'acc_1'), 'acc_1')).toBe('');
  });

  it('rotation: old key still decrypts, new key encrypts, and old tokens are flagged for re-sealing', () => {
    const before = createTokenCipher({ keys: { k1 }, activeKeyId: 'k1' });
    const old = before.encrypt(token, 'acc_1');
    const after = createTokenCipher({ keys: { k1, k2 }, activeKeyId: 'k2' });
    const fresh = after.encrypt(token, 'acc_1');
    expect(fresh.keyId).toBe('k2');
    expect(after.decrypt(old, 'acc_1')).toBe(token);
    expect(after.decrypt(fresh, 'acc_1')).toBe(token);
    expect(after.needsRotation(old)).toBe(true);
    expect(after.needsRotation(fresh)).toBe(false);
  });

  it('names the missing key id when a token was sealed with a key no longer configured', () => {
    const sealed = createTokenCipher({ keys: { k1 }, activeKeyId: 'k1' }).encrypt(token, 'acc_1');
    const err = errorOf(() => createTokenCipher({ keys: { k2 }, activeKeyId: 'k2' }).decrypt(sealed, 'acc_1'));
    expect(err.code).toBe('UNKNOWN_KEY_ID');
    expect(err.message).toContain('"k1"');
    expect(err.message).toContain('ids: k2');
  });

  it.each<[string, (s: SealedToken) => SealedToken]>([
    ['ciphertext', (s) => ({ ...s, ciphertext: flip(s.ciphertext, 3) })],
    ['tag', (s) => ({ ...s, tag: flip(s.tag) })],
    ['iv', (s) => ({ ...s, iv: flip(s.iv) })],
    ['truncated ciphertext', (s) => ({ ...s, ciphertext: s.ciphertext.subarray(1) })],
  ])('detects a tampered %s', (_name, tamper) => {
    const cipher = createTokenCipher({ keys: { k1 }, activeKeyId: 'k1' });
    const err = errorOf(() => cipher.decrypt(tamper(cipher.encrypt(token, 'acc_1')), 'acc_1'));
    expect(err.code).toBe('TAMPERED');
  });

  it('detects a key id swapped to another configured key', () => {
    const cipher = createTokenCipher({ keys: { k1, k2: k1 }, activeKeyId: 'k1' });
    const sealed = cipher.encrypt(token, 'acc_1');
    expect(errorOf(() => cipher.decrypt({ ...sealed, keyId: 'k2' }, 'acc_1')).code).toBe('TAMPERED');
  });

  it('rejects a truncated tag and a wrong-length iv as malformed', () => {
    const cipher = createTokenCipher({ keys: { k1 }, activeKeyId: 'k1' });
    const sealed = cipher.encrypt(token, 'acc_1');
    expect(errorOf(() => cipher.decrypt({ ...sealed, tag: sealed.tag.subarray(0, 4) }, 'acc_1')).code).toBe('MALFORMED');
    expect(errorOf(() => cipher.decrypt({ ...sealed, iv: Buffer.alloc(16) }, 'acc_1')).code).toBe('MALFORMED');
  });

  it('rejects keys that are not 32 bytes and an active id missing from the keyring', () => {
    expect(errorOf(() => createTokenCipher({ keys: { k1: randomBytes(16) }, activeKeyId: 'k1' })).code).toBe('BAD_KEY');
    expect(errorOf(() => createTokenCipher({ keys: { k1 }, activeKeyId: 'k9' })).code).toBe('UNKNOWN_KEY_ID');
  });

  it('is not affected by later changes to the caller\'s key buffers', () => {
    const key = Buffer.from(k1);
    const cipher = createTokenCipher({ keys: { k1: key }, activeKeyId: 'k1' });
    const sealed = cipher.encrypt(token, 'acc_1');
    key.fill(0);
    expect(cipher.decrypt(sealed, 'acc_1')).toBe(token);
  });
});
