import type { Keyring } from './types';

export const KEYS_VARIABLE = 'MAILSYNC_ENCRYPTION_KEYS';
export const ACTIVE_KEY_VARIABLE = 'MAILSYNC_ENCRYPTION_ACTIVE_KEY';

const KEY_ID = /^[A-Za-z0-9._-]{1,64}$/;
// Node's base64 decoder reads both the standard and the URL-safe alphabet.
const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;
const KEY_BYTES = 32;

/** Names the variable and what is wrong with it; never includes key material. */
export class KeyringError extends Error {
  constructor(
    readonly variable: string,
    detail: string,
  ) {
    super(`${variable} ${detail}`);
    this.name = 'KeyringError';
  }
}

function parseEntry(entry: string, position: number): [string, Buffer] {
  const colon = entry.indexOf(':');
  if (colon < 0) throw new KeyringError(KEYS_VARIABLE, `entry ${position} is not in the form <keyId>:<base64 key>`);
  const id = entry.slice(0, colon).trim();
  const encoded = entry.slice(colon + 1).trim();
  if (!KEY_ID.test(id)) {
    throw new KeyringError(KEYS_VARIABLE, `entry ${position} has an invalid key id (use 1-64 of A-Z a-z 0-9 . _ -)`);
  }
  if (!BASE64.test(encoded)) throw new KeyringError(KEYS_VARIABLE, `key "${id}" is not base64`);
  const key = Buffer.from(encoded, 'base64');
  if (key.length !== KEY_BYTES) {
    throw new KeyringError(KEYS_VARIABLE, `key "${id}" must decode to ${KEY_BYTES} bytes, got ${key.length}`);
  }
  return [id, key];
}

/**
 * Parses `k1:<base64 32 bytes>,k2:<base64>`. The first key seals new tokens unless `activeKeyId`
 * (MAILSYNC_ENCRYPTION_ACTIVE_KEY) names another; the others only decrypt, for rotation.
 */
export function parseKeyring(value: string, activeKeyId?: string | null): Keyring {
  const entries = value.split(',').map((e) => e.trim()).filter((e) => e.length > 0);
  if (entries.length === 0) throw new KeyringError(KEYS_VARIABLE, 'holds no keys; expected <keyId>:<base64 32-byte key>[,...]');
  const keys: Record<string, Buffer> = {};
  entries.forEach((entry, index) => {
    const [id, key] = parseEntry(entry, index + 1);
    if (Object.hasOwn(keys, id)) throw new KeyringError(KEYS_VARIABLE, `names key id "${id}" twice`);
    keys[id] = key;
  });
  const ids = Object.keys(keys);
  const active = activeKeyId?.trim() || ids[0];
  if (active === undefined || !Object.hasOwn(keys, active)) {
    throw new KeyringError(ACTIVE_KEY_VARIABLE, `names key id "${active ?? ''}", which is not in ${KEYS_VARIABLE} (ids: ${ids.join(', ')})`);
  }
  return { keys: Object.freeze(keys), activeKeyId: active };
}
