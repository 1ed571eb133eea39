import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenCipher } from '../../src/crypto';
import { saveCredentials } from '../../src/db/repositories/accounts';
import { startGmailStack, type GmailSandboxMailbox, type GmailStack } from '../helpers/gmail-stack';
import { setupMailbox, type Mailbox } from '../helpers/mailbox';
import { waitFor } from '../helpers/wait';

/** Well inside the sync policy's retries (about two minutes), so a mailbox left retrying fails the test. */
const REAUTH_WITHIN_MS = 20_000;

describe('Stored credentials the worker cannot use', () => {
  let stack: GmailStack;
  beforeAll(async () => {
    stack = await startGmailStack();
  });
  afterAll(async () => {
    await stack.close();
  });

  const breakCredentials: [string, (m: Mailbox<GmailSandboxMailbox>) => Promise<void>, string][] = [
    [
      'sealed under a key the worker does not hold',
      async (m) => {
        const retired = createTokenCipher({ keys: { retired: randomBytes(32) }, activeKeyId: 'retired' });
        await saveCredentials(stack.db, m.accountId, retired.encrypt(m.refreshToken, m.accountId));
      },
      'cannot be decrypted (UNKNOWN_KEY_ID: no encryption key with id "retired" in the keyring',
    ],
    [
      'altered at rest (bad tag)',
      async (m) => {
        const sealed = stack.cipher.encrypt(m.refreshToken, m.accountId);
        await saveCredentials(stack.db, m.accountId, { ...sealed, tag: Buffer.from(sealed.tag.map((b) => b ^ 0xff)) });
      },
      'cannot be decrypted (TAMPERED: sealed token failed authentication',
    ],
    [
      'copied from another account (sealed for that account)',
      async (m) => {
        await saveCredentials(stack.db, m.accountId, stack.cipher.encrypt(m.refreshToken, `${m.accountId}-other`));
      },
      'cannot be decrypted (TAMPERED: sealed token failed authentication',
    ],
    ['missing', (m) => stack.db.deleteFrom('credentials').where('account_id', '=', m.accountId).execute().then(() => undefined), 'are missing'],
  ];

  it.each(breakCredentials)('credentials %s move the mailbox to needs_reauth instead of retrying for ever', async (name, breakThem, cause) => {
    const m = await setupMailbox(stack, 'gmail', { tag: name.split(' ')[0]! });
    await breakThem(m);
    // New mail makes the workflow sync, which has to open the mailbox with the stored credentials.
    await m.sandbox.deliver({ from: m.client, to: [m.owner], subject: 'Anyone there?', text: 'hello' });

    const view = await waitFor(
      async () => {
        const res = await stack.api('GET', `/v1/connections/${m.connectionId}`);
        return res.body.status === 'needs_reauth' ? res.body : null;
      },
      { timeoutMs: REAUTH_WITHIN_MS },
    );
    const reason = `gmail: stored credentials of account ${m.accountId} ${cause}`;
    expect(view).toMatchObject({ status: 'needs_reauth', sync: { status: 'needs_reauth', lastError: { kind: 'auth_revoked', reason: expect.stringContaining(reason) } } });
    expect(JSON.stringify(view)).not.toContain(m.refreshToken);

    const events = await stack.api('GET', '/v1/events?type=connection.needs_reauth&limit=1000');
    const told = events.body.events.filter((e: { connectionId: string }) => e.connectionId === m.connectionId);
    expect(told).toMatchObject([{ payload: { connectionId: m.connectionId, reason: expect.stringContaining(reason) } }]);
  });
});
