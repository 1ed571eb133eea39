import { OAuth2Client } from 'google-auth-library';
import { google } from 'googleapis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandboxClients, startGmailSandbox, type GmailSandbox } from '../src/gmail';

interface GaxiosLike {
  message: string;
  /** Token endpoint errors are flat OAuth JSON, Gmail's are the Google envelope; these tests read both. */
  response?: { status: number; data: any };
}
const failure = async (p: Promise<unknown>): Promise<GaxiosLike> => (await p.then(() => ({ message: 'no error' }), (e: unknown) => e)) as GaxiosLike;

const REDIRECT = 'http://127.0.0.1:1/oauth/callback';

describe('Gmail sandbox: Google OAuth with google-auth-library', () => {
  let sandbox: GmailSandbox;

  beforeAll(async () => {
    sandbox = await startGmailSandbox({ clientId: 'crm-app', clientSecret: 'crm-secret' });
  });
  afterAll(() => sandbox.close());

  it('answers invalid_grant for a revoked account, on refresh and after re-consent gives a working grant', async () => {
    const address = 'revoked@gmail.test';
    const grant = sandbox.control.createAccount(address);
    const { gmail } = sandboxClients(sandbox, grant.refreshToken);
    await gmail.users.getProfile({ userId: 'me' });
    sandbox.control.revoke(address);

    const { auth } = sandboxClients(sandbox, grant.refreshToken);
    const err = await failure(auth.refreshAccessToken());
    expect(err.response?.status).toBe(400);
    expect(err.response?.data).toEqual({ error: 'invalid_grant', error_description: 'Token has been expired or revoked.' });
    const call = await failure(gmail.users.getProfile({ userId: 'me' }));
    expect(call.response?.status).toBe(401);
    expect(call.response?.data.error.errors[0].reason).toBe('authError');

    const fresh = sandboxClients(sandbox, sandbox.control.issueGrant(address).refreshToken).gmail;
    expect((await fresh.users.getProfile({ userId: 'me' })).data.emailAddress).toBe(address);
  });

  it('rejects a wrong client secret with invalid_client', async () => {
    const grant = sandbox.control.createAccount('secret@gmail.test');
    const auth = new OAuth2Client({ clientId: 'crm-app', clientSecret: 'wrong', endpoints: { oauth2TokenUrl: sandbox.tokenUrl } });
    auth.setCredentials({ refresh_token: grant.refreshToken, expiry_date: 1 });
    const err = await failure(auth.getAccessToken());
    expect(err.response?.status).toBe(401);
    expect(err.response?.data.error).toBe('invalid_client');
  });

  it('answers 401 in the Google envelope when the access token has expired', async () => {
    const address = 'expired@gmail.test';
    const { gmail } = sandboxClients(sandbox, sandbox.control.createAccount(address).refreshToken);
    await gmail.users.getProfile({ userId: 'me' });
    sandbox.control.expireAccessTokens(address);
    const err = await failure(gmail.users.getProfile({ userId: 'me' }));
    expect(err.response?.status).toBe(401);
    expect(err.response?.data.error).toMatchObject({ code: 401, status: 'UNAUTHENTICATED', errors: [{ reason: 'authError', location: 'Authorization' }] });
  });

  it('runs the consent flow: auth URL with login_hint, redirect with code, getToken, verified id token', async () => {
    const address = 'consent@gmail.test';
    sandbox.control.createAccount(address, { name: 'Consent User' });
    const { auth } = sandboxClients(sandbox, 'unused', { redirectUri: REDIRECT });
    const url = auth.generateAuthUrl({ access_type: 'offline', prompt: 'consent', scope: ['https://www.googleapis.com/auth/gmail.modify', 'email'], state: 'xyz', login_hint: address });
    expect(url.startsWith(sandbox.authUrl)).toBe(true);

    const res = await fetch(url, { redirect: 'manual' });
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get('location')!);
    expect(`${location.origin}${location.pathname}`).toBe(REDIRECT);
    expect(location.searchParams.get('state')).toBe('xyz');

    const { tokens } = await auth.getToken(location.searchParams.get('code')!);
    expect(tokens).toMatchObject({ access_token: expect.any(String), refresh_token: expect.stringMatching(/^1\/\//), token_type: 'Bearer' });
    const ticket = await auth.verifyIdToken({ idToken: tokens.id_token!, audience: 'crm-app' });
    expect(ticket.getPayload()).toMatchObject({ email: address, email_verified: true, iss: 'https://accounts.google.com', aud: 'crm-app' });

    auth.setCredentials(tokens);
    const gmail = google.gmail({ version: 'v1', auth, rootUrl: sandbox.url });
    expect((await gmail.users.getProfile({ userId: 'me' })).data.emailAddress).toBe(address);
    const reuse = await failure(auth.getToken(location.searchParams.get('code')!));
    expect(reuse.response?.data.error).toBe('invalid_grant');
  });

  it('shows a consent page without login_hint whose form approves the chosen account, with PKCE', async () => {
    const address = 'picker@gmail.test';
    sandbox.control.createAccount(address);
    const { auth } = sandboxClients(sandbox, 'unused', { redirectUri: REDIRECT });
    const pkce = await auth.generateCodeVerifierAsync();
    const url = auth.generateAuthUrl({ scope: ['email'], code_challenge: pkce.codeChallenge, code_challenge_method: 'S256' as never });
    const page = await (await fetch(url)).text();
    expect(page).toContain(`value="${address}"`);

    const action = new URL(/action="([^"]+)"/.exec(page)![1]!, sandbox.url);
    const hidden = [...page.matchAll(/type="hidden" name="([^"]+)" value="([^"]*)"/g)];
    const form = new URLSearchParams(hidden.map((m): [string, string] => [m[1]!, m[2]!.replace(/&#(\d+);/g, (_x, c: string) => String.fromCharCode(Number(c)))]));
    form.set('address', address);
    const approved = await fetch(action, { method: 'POST', body: form, redirect: 'manual' });
    const code = new URL(approved.headers.get('location')!).searchParams.get('code')!;
    expect((await failure(auth.getToken({ code, codeVerifier: 'wrong-verifier-wrong-verifier-wrong-verifier' }))).response?.data.error).toBe('invalid_grant');
  });

  it('gives a refresh token only for access_type=offline, and enforces the granted scopes', async () => {
    const address = 'readonly@gmail.test';
    sandbox.control.createAccount(address);
    const { auth } = sandboxClients(sandbox, 'unused', { redirectUri: REDIRECT });
    const url = auth.generateAuthUrl({ scope: ['https://www.googleapis.com/auth/gmail.readonly'], login_hint: address });
    const code = new URL((await fetch(url, { redirect: 'manual' })).headers.get('location')!).searchParams.get('code')!;
    const { tokens } = await auth.getToken(code);
    expect(tokens.refresh_token).toBeUndefined();
    expect(tokens.id_token).toBeUndefined();

    auth.setCredentials(tokens);
    const gmail = google.gmail({ version: 'v1', auth, rootUrl: sandbox.url });
    expect((await gmail.users.messages.list({ userId: 'me' })).data.resultSizeEstimate).toBe(0);
    const err = await failure(gmail.users.messages.send({ userId: 'me', requestBody: { raw: Buffer.from('To: a@example.com\r\n\r\nx').toString('base64url') } }));
    expect(err.response?.status).toBe(403);
    expect(err.response?.data.error.errors[0]).toMatchObject({ reason: 'insufficientPermissions' });
  });

  it('revokes through the revoke endpoint', async () => {
    const address = 'self-revoke@gmail.test';
    const grant = sandbox.control.createAccount(address);
    const { auth } = sandboxClients(sandbox, grant.refreshToken);
    await auth.revokeToken(grant.refreshToken);
    expect((await failure(auth.getAccessToken())).response?.data.error).toBe('invalid_grant');
  });
});
