import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDirectory } from '../helpers/directory';
import { startGmailStack, type GmailStack } from '../helpers/gmail-stack';
import { prepareMailbox } from '../helpers/mailbox';
import { OAUTH_REDIRECT_ORIGIN } from '../helpers/stack';

describe('Gmail consent flow run by mailsync', () => {
  let stack: GmailStack;
  beforeAll(async () => {
    stack = await startGmailStack();
  });
  afterAll(async () => {
    await stack.close();
  });

  /** The browser opens mailsync's authorize link: its cookie, and the provider consent URL it is sent on to. */
  async function authorize(url: string): Promise<{ status: number; cookie: string | null; consent: URL | null; body: any }> {
    const link = new URL(url);
    const res = await stack.app.inject({ method: 'GET', url: `${link.pathname}${link.search}` });
    const setCookie = res.headers['set-cookie'];
    const cookie = typeof setCookie === 'string' ? setCookie : null;
    return { status: res.statusCode, cookie, consent: res.headers.location ? new URL(String(res.headers.location)) : null, body: res.statusCode === 302 ? null : res.json() };
  }

  /** The user approves at the sandbox; the provider's redirect back to mailsync. */
  async function approve(consent: URL): Promise<string> {
    const approved = await fetch(consent, { redirect: 'manual' });
    expect(approved.status).toBe(302);
    const back = new URL(approved.headers.get('location')!);
    expect(back.pathname).toBe('/v1/oauth/gmail/callback');
    return `${back.pathname}${back.search}`;
  }

  const cookieHeader = (setCookie: string) => setCookie.split(';')[0]!;

  it('start gives the authorize link; the browser that opens it is bound by cookie, consents with PKCE, and the callback connects', async () => {
    const { owner } = await prepareMailbox(stack, 'gmail', [], { tag: 'oauth' });
    const start = await stack.api('POST', '/v1/connections/oauth/gmail/start', { locationId: 'loc-oauth', userId: 'user-oauth' });
    expect(start.status).toBe(200);
    expect(start.body.url).toBe(`http://127.0.0.1/v1/oauth/gmail/authorize?state=${encodeURIComponent(start.body.state)}`);

    const opened = await authorize(start.body.url);
    expect(opened.status).toBe(302);
    expect(opened.cookie).toMatch(/^mailsync_oauth_gmail=[A-Za-z0-9_-]{43}; Path=\/v1\/oauth\/gmail; Max-Age=900; HttpOnly; SameSite=Lax$/);
    const consent = opened.consent!;
    expect(consent.searchParams.get('access_type')).toBe('offline');
    expect(consent.searchParams.get('state')).toBe(start.body.state);
    expect(consent.searchParams.get('login_hint')).toBe(owner);
    expect(consent.searchParams.get('code_challenge_method')).toBe('S256');
    expect(consent.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);

    // The link works once: a second browser opening it gets nothing to bind to.
    const again = await authorize(start.body.url);
    expect(again.status).toBe(400);
    expect(again.cookie).toBeNull();

    const callbackPath = await approve(consent);
    // Another browser (no cookie, or another one) cannot finish the flow, and does not use it up.
    const elsewhere = await stack.app.inject({ method: 'GET', url: callbackPath });
    expect(elsewhere.statusCode).toBe(400);
    expect(elsewhere.json().error.message).toContain('was not started in this browser');
    const forged = await stack.app.inject({ method: 'GET', url: callbackPath, headers: { cookie: 'mailsync_oauth_gmail=forged' } });
    expect(forged.statusCode).toBe(400);

    const callback = await stack.app.inject({ method: 'GET', url: callbackPath, headers: { cookie: cookieHeader(opened.cookie!) } });
    expect(callback.statusCode).toBe(201);
    expect(callback.headers['set-cookie']).toBe('mailsync_oauth_gmail=; Path=/v1/oauth/gmail; Max-Age=0; HttpOnly; SameSite=Lax');
    expect(callback.json()).toMatchObject({ provider: 'gmail', address: owner, locationId: 'loc-oauth', userId: 'user-oauth', status: 'active' });

    const replay = await stack.app.inject({ method: 'GET', url: callbackPath, headers: { cookie: cookieHeader(opened.cookie!) } });
    expect(replay.statusCode).toBe(400);
    expect(replay.json().error.message).toContain('state');
  });

  it('exchanges the code with the verifier it kept: a code redeemed without it is refused by the provider', async () => {
    await prepareMailbox(stack, 'gmail', [], { tag: 'oauth-pkce' });
    const start = await stack.api('POST', '/v1/connections/oauth/gmail/start', { locationId: 'loc-oauth-pkce', userId: 'user-oauth-pkce' });
    const opened = await authorize(start.body.url);
    const callbackPath = await approve(opened.consent!);
    await stack.db.updateTable('oauth_states').set({ code_verifier: 'x'.repeat(43) }).where('state', '=', start.body.state).execute();
    const callback = await stack.app.inject({ method: 'GET', url: callbackPath, headers: { cookie: cookieHeader(opened.cookie!) } });
    expect(callback.statusCode).toBe(422);
    expect(callback.json().error.code).toBe('INVALID_GRANT');
  });

  it('redirects after the callback only to a configured origin', async () => {
    await prepareMailbox(stack, 'gmail', [], { tag: 'oauth-redirect' });
    const body = { locationId: 'loc-oauth-redirect', userId: 'user-oauth-redirect' };
    const refused = await stack.api('POST', '/v1/connections/oauth/gmail/start', { ...body, redirectAfter: 'https://attacker.test/steal' });
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'redirectAfter' } });

    const start = await stack.api('POST', '/v1/connections/oauth/gmail/start', { ...body, redirectAfter: `${OAUTH_REDIRECT_ORIGIN}/settings/email?tab=1` });
    expect(start.status).toBe(200);
    const opened = await authorize(start.body.url);
    const callbackPath = await approve(opened.consent!);
    const callback = await stack.app.inject({ method: 'GET', url: callbackPath, headers: { cookie: cookieHeader(opened.cookie!) } });
    expect(callback.statusCode).toBe(302);
    const target = new URL(String(callback.headers.location));
    expect(`${target.origin}${target.pathname}`).toBe(`${OAUTH_REDIRECT_ORIGIN}/settings/email`);
    expect(target.searchParams.get('connectionId')).toMatch(/^conn_/);
  });

  it('rejects a start for a user outside the location', async () => {
    await seedDirectory(stack, { locationId: 'loc-oauth-2', userId: 'user-oauth-2', userEmail: 'x@gmail.test' });
    const res = await stack.api('POST', '/v1/connections/oauth/gmail/start', { locationId: 'loc-oauth', userId: 'user-oauth-2' });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('UNKNOWN_REFERENCE');
  });
});
