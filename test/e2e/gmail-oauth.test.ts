import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDirectory } from '../helpers/directory';
import { startGmailStack, type GmailStack } from '../helpers/gmail-stack';
import { prepareMailbox } from '../helpers/mailbox';

describe('Gmail consent flow run by mailsync', () => {
  let stack: GmailStack;
  beforeAll(async () => {
    stack = await startGmailStack();
  });
  afterAll(async () => {
    await stack.close();
  });

  it('start gives a Google consent URL; the callback exchanges the code and connects the mailbox', async () => {
    // The directory and the Gmail mailbox; the grant comes from the consent flow below.
    const { owner } = await prepareMailbox(stack, 'gmail', [], { tag: 'oauth' });
    const start = await stack.api('POST', '/v1/connections/oauth/gmail/start', { locationId: 'loc-oauth', userId: 'user-oauth' });
    expect(start.status).toBe(200);
    const consent = new URL(start.body.url);
    expect(consent.searchParams.get('access_type')).toBe('offline');
    expect(consent.searchParams.get('state')).toBe(start.body.state);
    expect(consent.searchParams.get('login_hint')).toBe(owner);

    const approved = await fetch(start.body.url, { redirect: 'manual' });
    expect(approved.status).toBe(302);
    const back = new URL(approved.headers.get('location')!);
    expect(back.pathname).toBe('/v1/oauth/gmail/callback');
    const callback = await stack.app.inject({ method: 'GET', url: `${back.pathname}${back.search}` });
    expect(callback.statusCode).toBe(201);
    expect(callback.json()).toMatchObject({ provider: 'gmail', address: owner, locationId: 'loc-oauth', userId: 'user-oauth', status: 'active' });

    const replay = await stack.app.inject({ method: 'GET', url: `${back.pathname}${back.search}` });
    expect(replay.statusCode).toBe(400);
    expect(replay.json().error.message).toContain('state');
  });

  it('rejects a start for a user outside the location', async () => {
    await seedDirectory(stack, { locationId: 'loc-oauth-2', userId: 'user-oauth-2', userEmail: 'x@gmail.test' });
    const res = await stack.api('POST', '/v1/connections/oauth/gmail/start', { locationId: 'loc-oauth', userId: 'user-oauth-2' });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('UNKNOWN_REFERENCE');
  });
});
