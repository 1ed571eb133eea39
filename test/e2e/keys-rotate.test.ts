import { execFile } from 'node:child_process';
import { createCipheriv, randomBytes } from 'node:crypto';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenCipher, parseKeyring, type SealedToken } from '../../src/crypto';
import { loadCredentials, saveCredentials, upsertAccount } from '../../src/db/repositories/accounts';
import { createTestDb, type TestDb } from '../helpers/test-db';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '../..');

const oldKey = randomBytes(32);
const newKey = randomBytes(32);
/** The keyring after a new key is added in front (so it is active), the old one kept to decrypt. */
const ROTATED_KEYS = `new:${newKey.toString('base64')},old:${oldKey.toString('base64')}`;

/** A token as stored before tokens were bound to their account: format 1, the key id alone as associated data. */
function sealFormat1(key: Buffer, keyId: string, plaintext: string): SealedToken {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: 16 });
  cipher.setAAD(Buffer.from(`mailsync-token-v1:${keyId}`, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return { keyId, format: 1, iv, tag: cipher.getAuthTag(), ciphertext };
}

async function keysRotate(testDb: TestDb, keys: string): Promise<{ code: number; stdout: string }> {
  try {
    const { stdout } = await run('npm', ['run', '--silent', 'keys:rotate'], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: testDb.url, MAILSYNC_ENCRYPTION_KEYS: keys, MAILSYNC_ENCRYPTION_ACTIVE_KEY: '', KEYS_ROTATE_BATCH: '2' },
    });
    return { code: 0, stdout };
  } catch (err) {
    const failed = err as { code: number; stdout: string };
    return { code: failed.code, stdout: failed.stdout };
  }
}

describe('npm run keys:rotate', () => {
  let testDb: TestDb;
  beforeAll(async () => {
    testDb = await createTestDb();
  });
  afterAll(async () => {
    await testDb.drop();
  });

  it('re-seals every stored token under the newest key, bound to its account, and a second run finds nothing to do', async () => {
    const before = createTokenCipher({ keys: { old: oldKey }, activeKeyId: 'old' });
    const tokens: Record<string, string> = {};
    for (let i = 0; i < 5; i++) {
      const account = await upsertAccount(testDb.db, { id: `acc-rot-${i}`, provider: 'gmail', address: `rot-${i}@gmail.test` });
      tokens[account.id] = `1//refresh-${i}-${randomBytes(8).toString('hex')}`;
      // Rows as an older release stored them (format 1), and rows already bound but under the old key.
      const sealed = i < 3 ? sealFormat1(oldKey, 'old', tokens[account.id]!) : before.encrypt(tokens[account.id]!, account.id);
      await saveCredentials(testDb.db, account.id, sealed);
    }

    const first = await keysRotate(testDb, ROTATED_KEYS);
    expect(first).toEqual({ code: 0, stdout: 'keys:rotate: active key "new": resealed 5, changed meanwhile 0, failed 0\n' });

    const onlyNew = createTokenCipher(parseKeyring(`new:${newKey.toString('base64')}`));
    for (const [accountId, token] of Object.entries(tokens)) {
      const sealed = await loadCredentials(testDb.db, accountId);
      expect(sealed).toMatchObject({ keyId: 'new', format: 2 });
      expect(onlyNew.decrypt(sealed!, accountId)).toBe(token);
      // Bound to its account: the same row does not open for another one.
      expect(() => onlyNew.decrypt(sealed!, 'acc-rot-other')).toThrow(/failed authentication/);
    }

    const second = await keysRotate(testDb, ROTATED_KEYS);
    expect(second).toEqual({ code: 0, stdout: 'keys:rotate: active key "new": resealed 0, changed meanwhile 0, failed 0\n' });
  });

  it('names the accounts whose token it cannot decrypt, exits 1, and leaves their rows as they were', async () => {
    const account = await upsertAccount(testDb.db, { id: 'acc-rot-lost', provider: 'outlook', address: 'lost@outlook.test' });
    const lost = createTokenCipher({ keys: { gone: randomBytes(32) }, activeKeyId: 'gone' }).encrypt('rt', account.id);
    await saveCredentials(testDb.db, account.id, lost);

    const result = await keysRotate(testDb, ROTATED_KEYS);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe(
      'keys:rotate: active key "new": resealed 0, changed meanwhile 0, failed 1\n' +
        '  account acc-rot-lost: UNKNOWN_KEY_ID: no encryption key with id "gone" in the keyring (ids: new, old); add it to MAILSYNC_ENCRYPTION_KEYS\n',
    );
    expect(await loadCredentials(testDb.db, account.id)).toEqual(lost);
  });
});
