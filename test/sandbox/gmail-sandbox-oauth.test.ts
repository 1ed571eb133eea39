import { OAuth2Client } from 'google-auth-library';
import { google } from 'googleapis';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandboxGmailClients, startGmailSandbox, type GmailSandbox } from '../../src/sandbox/google';

interface GaxiosFailure {
  message: string;
  response?: { status: number; data: { error?: unknown; error_description?: string } & Record<string, unknown> };
}

async function failure(promise: Promise<unknown>): Promise<GaxiosFailure> {
  return promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (err: unknown) => err as GaxiosFailure,
  );
}

const REDIRECT = 'http://127.0.0.1:9/oauth/callback';

describe('Gmail sandbox: Google OAuth through google-auth-library', () => {
  let sandbox: GmailSandbox;

  beforeAll(async () => {
    sandbox = await startGmailSandbox({ clientId: 'crm-app', clientSecret: 'crm-secret' });
  });
  afterAll(() => sandbox.close());

  const oauthClient = (secret = 'crm-secret') =>
    new OAuth2Client({ clientId: 'crm-app', clientSecret: secret, redirectUri: REDIRECT, endpoints: { oauth2TokenUrl: sandbox.tokenUrl, oauth2AuthBaseUrl: sandbox.authUrl } });

  it('refreshes with the control grant and serves getProfile for the token owner', async () => {
    const grant = sandbox.control.createAccount('owner@gmail.test', { name: 'Owner' });
    expect(grant).toMatchObject({ address: 'owner@gmail.test', clientId: 'crm-app', clientSecret: 'crm-secret' });
    const { gmail } = sandboxGmailClients(sandbox, grant);
    const profile = (await gmail.users.getProfile({ userId: 'me' })).data;
    expect(profile).toEqual({ emailAddress: 'owner@gmail.test', messagesTotal: 0, threadsTotal: 0, historyId: sandbox.control.historyId('owner@gmail.test') });
  });

  it('runs the consent flow: login_hint auto-approves, the code exchanges for tokens and a verifiable ID token', async () => {
    sandbox.control.createAccount('consent@gmail.test');
    const client = oauthClient();
    const authUrl = client.generateAuthUrl({ access_type: 'offline', prompt: 'consent', scope: ['https://mail.google.com/', 'openid', 'email'], state: 's-1', login_hint: 'consent@gmail.test' });
    expect(authUrl.startsWith(sandbox.authUrl)).toBe(true);
    const res = await fetch(authUrl, { redirect: 'manual' });
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get('location')!);
    expect(`${location.origin}${location.pathname}`).toBe(REDIRECT);
    expect(location.searchParams.get('state')).toBe('s-1');

    const { tokens } = await client.getToken(location.searchParams.get('code')!);
    expect(tokens).toMatchObject({ token_type: 'Bearer', scope: 'https://mail.google.com/ openid email' });
    expect(tokens.refresh_token).toMatch(/^1\/\//);
    const { payload } = await jwtVerify(tokens.id_token!, createRemoteJWKSet(new URL(sandbox.certsUrl)), { audience: 'crm-app', issuer: 'https://accounts.google.com' });
    expect(payload).toMatchObject({ email: 'consent@gmail.test', email_verified: true });

    const again = await failure(client.getToken(location.searchParams.get('code')!));
    expect(again.response?.data).toEqual({ error: 'invalid_grant', error_description: 'Malformed auth code.' });
  });

  it('returns no refresh token on a repeat consent without prompt=consent, as Google does', async () => {
    sandbox.control.createAccount('repeat@gmail.test');
    const client = oauthClient();
    const url = client.generateAuthUrl({ access_type: 'offline', scope: ['https://mail.google.com/'], login_hint: 'repeat@gmail.test' });
    const code = async () => new URL((await fetch(url, { redirect: 'manual' })).headers.get('location')!).searchParams.get('code')!;
    expect((await client.getToken(await code())).tokens.refresh_token).toBeTruthy();
    const second = (await client.getToken(await code())).tokens;
    expect(second.access_token).toBeTruthy();
    expect(second.refresh_token).toBeUndefined();
  });

  it('shows the account chooser without login_hint and redirects after the form approves one', async () => {
    sandbox.control.createAccount('chooser@gmail.test');
    const url = oauthClient().generateAuthUrl({ access_type: 'offline', scope: ['https://mail.google.com/'], state: 'abc' });
    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('chooser@gmail.test');
    const form = new URLSearchParams([...new URL(url).searchParams, ['account', 'chooser@gmail.test']]);
    const approved = await fetch(new URL('/o/oauth2/v2/auth/approve', sandbox.url), { method: 'POST', body: form, redirect: 'manual' });
    expect(approved.status).toBe(302);
    const code = new URL(approved.headers.get('location')!).searchParams.get('code')!;
    const { tokens } = await oauthClient().getToken(code);
    const gmail = sandboxGmailClients(sandbox, { address: '', clientId: 'crm-app', clientSecret: 'crm-secret', refreshToken: tokens.refresh_token! }).gmail;
    expect((await gmail.users.getProfile({ userId: 'me' })).data.emailAddress).toBe('chooser@gmail.test');
  });

  it('rejects a wrong client secret with invalid_client', async () => {
    const grant = sandbox.control.createAccount('secret@gmail.test');
    const client = oauthClient('wrong');
    client.setCredentials({ refresh_token: grant.refreshToken });
    const err = await failure(client.refreshAccessToken());
    expect(err.response?.status).toBe(401);
    expect(err.response?.data).toEqual({ error: 'invalid_client', error_description: 'Unauthorized' });
  });

  it('after revoke: refresh fails with invalid_grant and the old access token gets 401 authError', async () => {
    const grant = sandbox.control.createAccount('revoked@gmail.test');
    const { gmail } = sandboxGmailClients(sandbox, grant);
    await gmail.users.getProfile({ userId: 'me' });
    sandbox.control.revoke('revoked@gmail.test');

    const call = await failure(gmail.users.getProfile({ userId: 'me' }));
    expect(call.response?.status).toBe(401);
    expect(call.response?.data.error).toMatchObject({ code: 401, status: 'UNAUTHENTICATED', errors: [{ reason: 'authError', location: 'Authorization' }] });
    const refresh = await failure(sandboxGmailClients(sandbox, grant).auth.refreshAccessToken());
    expect(refresh.response?.status).toBe(400);
    expect(refresh.response?.data).toEqual({ error: 'invalid_grant', error_description: 'Token has been expired or revoked.' });
  });

  it('an expired access token gets 401, which a client with forceRefreshOnFailure answers by refreshing', async () => {
    const grant = sandbox.control.createAccount('expiry@gmail.test');
    const auth = new OAuth2Client({ clientId: 'crm-app', clientSecret: 'crm-secret', forceRefreshOnFailure: true, endpoints: { oauth2TokenUrl: sandbox.tokenUrl } });
    auth.setCredentials({ refresh_token: grant.refreshToken });
    const gmail = google.gmail({ version: 'v1', auth, rootUrl: sandbox.url });
    await gmail.users.getProfile({ userId: 'me' });
    sandbox.control.expireAccessTokens('expiry@gmail.test');
    expect((await gmail.users.getProfile({ userId: 'me' })).data.emailAddress).toBe('expiry@gmail.test');
    expect(sandbox.control.counters('expiry@gmail.test').rejected.auth).toBe(1);
  });

  it('refuses another user id than the token owner', async () => {
    sandbox.control.createAccount('other@gmail.test');
    const { gmail } = sandboxGmailClients(sandbox, sandbox.control.createAccount('me@gmail.test'));
    const err = await failure(gmail.users.getProfile({ userId: 'other@gmail.test' }));
    expect(err.response?.status).toBe(403);
    expect(err.message).toBe('Delegation denied for me@gmail.test');
  });
});
