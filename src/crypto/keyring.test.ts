import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { KeyringError, parseKeyring } from './keyring';
import { createTokenCipherFromConfig } from './from-config';

const a = randomBytes(32);
const b = randomBytes(32);

function keyringError(fn: () => unknown): KeyringError {
  try {
    fn();
  } catch (err) {
    if (err instanceof KeyringError) return err;
    throw err;
  }
  throw new Error('expected a KeyringError');
}

describe('parseKeyring', () => {
  it('reads id:base64 pairs; the first key is active', () => {
    const ring = parseKeyring(`k1:${a.toString('base64')}, k2:${b.toString('base64')}`);
    expect(ring.activeKeyId).toBe('k1');
    expect(Object.keys(ring.keys)).toEqual(['k1', 'k2']);
    expect(ring.keys.k1?.equals(a)).toBe(true);
    expect(ring.keys.k2?.equals(b)).toBe(true);
  });

  it('lets MAILSYNC_ENCRYPTION_ACTIVE_KEY pick the active key', () => {
    const ring = parseKeyring(`old:${a.toString('base64')},new:${b.toString('base64')}`, 'new');
    expect(ring.activeKeyId).toBe('new');
  });

  it('falls back to the first key when the active key setting is empty', () => {
    expect(parseKeyring(`k1:${a.toString('base64')}`, '').activeKeyId).toBe('k1');
    expect(parseKeyring(`k1:${a.toString('base64')}`, null).activeKeyId).toBe('k1');
  });

  it('accepts unpadded and URL-safe base64', () => {
    const ring = parseKeyring(`k1:${a.toString('base64url')}`);
    expect(ring.keys.k1?.equals(a)).toBe(true);
  });

  it.each([
    ['an empty value', '', 'MAILSYNC_ENCRYPTION_KEYS holds no keys'],
    ['an entry without a colon', `${a.toString('base64')}`, 'MAILSYNC_ENCRYPTION_KEYS entry 1 is not in the form <keyId>:<base64 key>'],
    ['an invalid key id', `bad id:${a.toString('base64')}`, 'MAILSYNC_ENCRYPTION_KEYS entry 1 has an invalid key id'],
    ['a key that is not base64', 'k1:not*base64!', 'MAILSYNC_ENCRYPTION_KEYS key "k1" is not base64'],
    ['a 16-byte key', `k1:${a.toString('base64')},k2:${randomBytes(16).toString('base64')}`, 'MAILSYNC_ENCRYPTION_KEYS key "k2" must decode to 32 bytes, got 16'],
    ['a repeated key id', `k1:${a.toString('base64')},k1:${b.toString('base64')}`, 'MAILSYNC_ENCRYPTION_KEYS names key id "k1" twice'],
  ])('rejects %s with a message naming the problem', (_name, value, expected) => {
    const err = keyringError(() => parseKeyring(value));
    expect(err.variable).toBe('MAILSYNC_ENCRYPTION_KEYS');
    expect(err.message.startsWith(expected)).toBe(true);
  });

  it('rejects an active key id that is not in the keyring', () => {
    const err = keyringError(() => parseKeyring(`k1:${a.toString('base64')}`, 'k2'));
    expect(err.variable).toBe('MAILSYNC_ENCRYPTION_ACTIVE_KEY');
    expect(err.message).toBe('MAILSYNC_ENCRYPTION_ACTIVE_KEY names key id "k2", which is not in MAILSYNC_ENCRYPTION_KEYS (ids: k1)');
  });

  it('never prints key material in its errors', () => {
    const secret = randomBytes(16).toString('base64');
    const messages = [`k1:${secret}`, `k1 x:${secret}`, secret].map((value) => keyringError(() => parseKeyring(value)).message);
    for (const message of messages) expect(message).not.toContain(secret);
  });
});

describe('createTokenCipherFromConfig', () => {
  it('builds a cipher that seals with the configured active key', () => {
    const cipher = createTokenCipherFromConfig({
      encryptionKeys: `k1:${a.toString('base64')},k2:${b.toString('base64')}`,
      encryptionActiveKey: 'k2',
    });
    const sealed = cipher.encrypt('refresh-token', 'acc_1');
    expect(sealed.keyId).toBe('k2');
    expect(cipher.decrypt(sealed, 'acc_1')).toBe('refresh-token');
  });
});
