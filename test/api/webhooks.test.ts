import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignJWT, generateKeyPair } from 'jose';
import { startGmailStack, PUSH_AUDIENCE, type GmailStack } from '../helpers/gmail-stack';

describe('provider webhooks', () => {
  let stack: GmailStack;
  beforeAll(async () => {
    stack = await startGmailStack();
    await stack.db
      .insertInto('accounts')
      .values({ id: 'acct_hook', provider: 'outlook', address: 'hook@outlook.test', subscription_id: 'sub-1', client_state: 'the-secret-state' })
      .execute();
  });
  afterAll(async () => {
    await stack.close();
  });

  const push = { message: { data: Buffer.from(JSON.stringify({ emailAddress: 'x@gmail.test', historyId: 5 })).toString('base64'), messageId: '1' } };

  it('rejects a Gmail push without a token, or with a token not signed by Google’s keys', async () => {
    const none = await stack.app.inject({ method: 'POST', url: '/webhooks/gmail', payload: push });
    expect(none.statusCode).toBe(401);
    expect(none.json().error.message).toContain('missing bearer token');
    const { privateKey } = await generateKeyPair('RS256');
    const forged = await new SignJWT({ email: 'x@y.test' }).setProtectedHeader({ alg: 'RS256', kid: 'forged' }).setIssuer('https://accounts.google.com').setAudience(PUSH_AUDIENCE).setExpirationTime('5m').sign(privateKey);
    const bad = await stack.app.inject({ method: 'POST', url: '/webhooks/gmail', headers: { authorization: `Bearer ${forged}` }, payload: push });
    expect(bad.statusCode).toBe(401);
    expect(bad.json().error.code).toBe('UNAUTHORIZED');
  });

  it('echoes Graph’s validationToken as text/plain', async () => {
    const res = await stack.app.inject({ method: 'POST', url: '/webhooks/outlook?validationToken=Validation%3A%20Testing%20client%20application', payload: '' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.body).toBe('Validation: Testing client application');
  });

  it('accepts Graph notifications only with the subscription’s clientState', async () => {
    const note = (clientState: string) => ({ value: [{ subscriptionId: 'sub-1', clientState, changeType: 'created', resource: 'Users/u/Messages/m' }] });
    const wrong = await stack.app.inject({ method: 'POST', url: '/webhooks/outlook', payload: note('guess') });
    expect(wrong.statusCode).toBe(401);
    const right = await stack.app.inject({ method: 'POST', url: '/webhooks/outlook', payload: note('the-secret-state') });
    expect(right.statusCode).toBe(202);
  });
});
