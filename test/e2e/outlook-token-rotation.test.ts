import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMailboxFactory } from '../../src/activities/mailboxes';
import { loadCredentials, saveCredentials, upsertAccount } from '../../src/db/repositories/accounts';
import { newMeter } from '../../src/providers/types';
import { GRAPH_MAIL_SCOPES, sandboxMsalApp } from '@mailsync/provider-sandbox/microsoft';
import { stateQuery } from '../../src/workflows/definitions';
import { uniqueAddress } from '../helpers/addresses';
import { conversationMessages, decisionsFor } from '../helpers/crm-views';
import { prepareMailbox, setupMailbox, type Mailbox } from '../helpers/mailbox';
import { startOutlookStack, type GraphSandboxMailbox, type OutlookStack } from '../helpers/outlook-stack';
import { waitFor } from '../helpers/wait';

/** Entra's 90 days, shrunk: the mailbox lives through several of its refresh tokens' lifetimes. */
const MAX_AGE_MS = 20_000;
const UNUSED_GOOGLE = { clientId: 'x', clientSecret: 'x', apiRoot: 'http://127.0.0.1:9/', tokenUrl: 'http://127.0.0.1:9/token', authUrl: 'http://127.0.0.1:9/auth', pubsubTopic: 'projects/x/topics/x' };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('Outlook refresh tokens rotate, and mailsync keeps the newest one', () => {
  let stack: OutlookStack;
  beforeAll(async () => {
    stack = await startOutlookStack({ sandbox: { refreshTokenMaxAgeMs: MAX_AGE_MS } });
  });
  afterAll(async () => {
    await stack.close();
  });

  async function storedToken(accountId: string): Promise<string> {
    const sealed = await loadCredentials(stack.db, accountId);
    if (!sealed) throw new Error(`no credentials for ${accountId}`);
    return stack.cipher.decrypt(sealed, accountId);
  }

  /** Every row of every table as text (bytea as hex), to look for a token stored in the clear. */
  async function databaseText(): Promise<string> {
    const tables = await sql<{ name: string }>`select table_name as name from information_schema.tables where table_schema = 'public'`.execute(stack.db);
    const parts = await Promise.all(tables.rows.map(async ({ name }) => (await sql<{ row: string }>`select t::text as row from ${sql.table(name)} t`.execute(stack.db)).rows.map((r) => r.row)));
    return parts.flat().join('\n');
  }

  /** Every string and byte field of a workflow history, as text. */
  function historyText(value: unknown): string {
    if (value instanceof Uint8Array) return Buffer.from(value).toString('utf8');
    if (typeof value === 'string') return value;
    if (value && typeof value === 'object') return Object.values(value).map(historyText).join('\n');
    return '';
  }

  const reply = (s: Mailbox<GraphSandboxMailbox>, rfc: string, text: string) =>
    s.sandbox.deliver({ from: s.client, to: [s.owner], subject: 'RE: Renewal', text, inReplyTo: rfc, references: [rfc] });

  it('a mailbox stays active and syncing past its first refresh token’s maximum age; the rotated token is stored encrypted', async () => {
    const box = await prepareMailbox(stack, 'outlook', { tag: 'rot' });
    const firstTokenDiesAt = Date.now() + MAX_AGE_MS;
    const s = await box.connect();
    const { owner, refreshToken: connectedWith } = s;
    const sent = await s.send({ contactId: 'c-1', subject: 'Renewal', text: 'terms attached' });
    expect(sent.status).toBe(201);

    const afterFirstTokenDied: string[] = [];
    // Replies keep coming until two have synced after the first token's age ran out (bounded, so a stuck mailbox fails).
    for (let i = 0; afterFirstTokenDied.length < 2; i++) {
      if (Date.now() > firstTokenDiesAt + 90_000) throw new Error(`only ${afterFirstTokenDied.length} replies synced in the 90 s after the first token's age ran out`);
      const delivered = await reply(s, sent.body.rfcMessageId, `reply ${i}`);
      const sinceFirstTokenDied = Math.round((Date.now() - firstTokenDiesAt) / 1000);
      const decisions = await decisionsFor(stack, s.connectionId, delivered.immutableId).catch(async () => {
        const { body } = await stack.api('GET', `/v1/connections/${s.connectionId}`);
        throw new Error(`reply ${i}, delivered ${sinceFirstTokenDied} s after the first token's age ran out, was not synced; connection ${body.status}, sync ${JSON.stringify(body.sync)}`);
      });
      expect(decisions).toMatchObject([{ ruleId: 'R1', outcome: 'synced' }]);
      if (Date.now() > firstTokenDiesAt) afterFirstTokenDied.push(`reply ${i}`);
      await sleep(4_000);
    }
    expect(afterFirstTokenDied.length).toBeGreaterThanOrEqual(2);

    // The premise: Entra now refuses the token the CRM connected with.
    const refused = await sandboxMsalApp(stack.graph).acquireTokenByRefreshToken({ refreshToken: connectedWith, scopes: GRAPH_MAIL_SCOPES }).catch((e: unknown) => e);
    expect((refused as Error).message).toContain('AADSTS700082');

    const view = await stack.api('GET', `/v1/connections/${s.connectionId}`);
    expect(view.body).toMatchObject({ status: 'active', sync: { status: 'active', lastError: null } });
    const texts = (await conversationMessages(stack, s.locationId, 'c-1')).map((m) => String(m.text).trim());
    expect(texts).toEqual(expect.arrayContaining(afterFirstTokenDied));

    const sealed = await loadCredentials(stack.db, s.accountId);
    expect(sealed?.keyId).toBe(stack.cipher.activeKeyId);
    const current = await storedToken(s.accountId);
    expect(current).not.toBe(connectedWith);
    const everything = await databaseText();
    for (const token of [connectedWith, current]) {
      expect(everything).not.toContain(token);
      expect(everything).not.toContain(Buffer.from(token).toString('hex'));
    }
    expect(everything).not.toMatch(/sbx-rt|7362782d7274/);
    // Nor in Temporal history (its payloads are bytes, read as text here; the address shows they are read).
    const history = historyText(await stack.client.workflow.getHandle(`mailbox/outlook/${s.accountId}`).fetchHistory());
    expect(history).toContain(owner);
    expect(history).not.toContain('sbx-rt');
  });

  it('a redemption never overwrites credentials stored after it loaded them; otherwise it stores the rotated token', async () => {
    const owner = uniqueAddress('owner-cas', 'outlook.test');
    const mailbox = stack.sandboxMailbox(owner);
    const older = await mailbox.create();
    const account = await upsertAccount(stack.db, { id: `acc-cas-${Date.now().toString(36)}`, provider: 'outlook', address: owner });
    await saveCredentials(stack.db, account.id, stack.cipher.encrypt(older.refreshToken, account.id));
    const open = createMailboxFactory({ db: stack.db, cipher: stack.cipher, google: UNUSED_GOOGLE, microsoft: stack.microsoft });

    // New credentials arrive through the API while an activity that loaded the older ones is redeeming them.
    const stale = await open(account, newMeter());
    const newer = await mailbox.grant();
    await saveCredentials(stack.db, account.id, stack.cipher.encrypt(newer.refreshToken, account.id));
    expect(await stale.address()).toBe(owner);
    expect(await storedToken(account.id)).toBe(newer.refreshToken);

    const fresh = await open(account, newMeter());
    expect(await fresh.address()).toBe(owner);
    const rotated = await storedToken(account.id);
    expect(rotated).not.toBe(newer.refreshToken);
    await expect(sandboxMsalApp(stack.graph).acquireTokenByRefreshToken({ refreshToken: rotated, scopes: GRAPH_MAIL_SCOPES })).resolves.toMatchObject({ account: { username: owner } });
  });

  it('R19 with rotation: new credentials through the API replace the rotated token, and sync resumes on them', async () => {
    const s = await setupMailbox(stack, 'outlook', { tag: 'reauth' });
    const sent = await s.send({ contactId: 'c-1', subject: 'Renewal', text: 'x' });
    await waitFor(async () => (await storedToken(s.accountId)) !== s.refreshToken);

    // Revoking every token of the grant means any rotated token written after the new credentials would stop sync.
    await s.sandbox.revoke();
    const handle = stack.client.workflow.getHandle(`mailbox/outlook/${s.accountId}`);
    await waitFor(async () => (await handle.query(stateQuery)).status === 'needs_reauth', { timeoutMs: 30_000 });
    const fresh = await s.sandbox.grant();
    const put = await stack.api('PUT', `/v1/connections/${s.connectionId}/credentials`, { refreshToken: fresh.refreshToken });
    expect(put.body.outcome).toBe('reauthorized');

    for (const text of ['after re-auth', 'and later']) {
      const delivered = await reply(s, sent.body.rfcMessageId, text);
      expect(await decisionsFor(stack, s.connectionId, delivered.immutableId)).toMatchObject([{ ruleId: 'R1', outcome: 'synced' }]);
      await sleep(4_000);
    }
    expect((await stack.api('GET', `/v1/connections/${s.connectionId}`)).body).toMatchObject({ status: 'active', sync: { status: 'active' } });
  });
});
