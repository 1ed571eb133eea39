import https from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareMailbox } from '../helpers/mailbox';
import { startOutlookStack, type OutlookStack } from '../helpers/outlook-stack';

/** The browser at the Entra sandbox's authorize endpoint (https under the sandbox's own CA). */
function getWithCa(url: string, ca: string): Promise<{ status: number; location: string | undefined }> {
  return new Promise((resolve, reject) => {
    https
      .get(url, { ca }, (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, location: res.headers.location }));
      })
      .on('error', reject);
  });
}

describe('Outlook consent flow run by mailsync', () => {
  let stack: OutlookStack;
  beforeAll(async () => {
    stack = await startOutlookStack();
  });
  afterAll(async () => {
    await stack.close();
  });

  it('binds the flow to the browser, consents with PKCE (S256) through MSAL, and the callback connects only with the cookie', async () => {
    const { owner } = await prepareMailbox(stack, 'outlook', [], { tag: 'oauth-ms' });
    const start = await stack.api('POST', '/v1/connections/oauth/outlook/start', { locationId: 'loc-oauth-ms', userId: 'user-oauth-ms' });
    expect(start.status).toBe(200);
    const link = new URL(start.body.url);
    const opened = await stack.app.inject({ method: 'GET', url: `${link.pathname}${link.search}` });
    expect(opened.statusCode).toBe(302);
    const cookie = String(opened.headers['set-cookie']).split(';')[0]!;
    expect(cookie).toMatch(/^mailsync_oauth_outlook=/);
    const consent = new URL(String(opened.headers.location));
    expect(consent.searchParams.get('code_challenge_method')).toBe('S256');
    expect(consent.searchParams.get('state')).toBe(start.body.state);

    const approved = await getWithCa(consent.toString(), stack.microsoft.caPem!);
    expect(approved.status).toBe(302);
    const back = new URL(approved.location!);
    expect(back.pathname).toBe('/v1/oauth/outlook/callback');
    const callbackPath = `${back.pathname}${back.search}`;

    const elsewhere = await stack.app.inject({ method: 'GET', url: callbackPath });
    expect(elsewhere.statusCode).toBe(400);
    const callback = await stack.app.inject({ method: 'GET', url: callbackPath, headers: { cookie } });
    expect(callback.statusCode).toBe(201);
    expect(callback.json()).toMatchObject({ provider: 'outlook', address: owner, locationId: 'loc-oauth-ms', userId: 'user-oauth-ms', status: 'active' });
  });
});
