import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGmailStack, type GmailStack } from '../helpers/gmail-stack';
import { setupMailbox } from '../helpers/mailbox';

/**
 * POST /webhooks/gmail takes a Pub/Sub push only when its OIDC token names the configured push service
 * account, verified. Google signs tokens for any service account and any audience it is asked for, so
 * another project's subscription aimed at the endpoint carries a valid signature and our audience.
 */
describe('Gmail push authentication', () => {
  let stack: GmailStack;
  beforeAll(async () => {
    stack = await startGmailStack();
  });
  afterAll(async () => {
    await stack.close();
  });

  async function pushOutcomes(deliver: () => Promise<unknown>): Promise<{ delivered: number; failed: number }> {
    await stack.sandbox.control.pushesSettled();
    const before = stack.sandbox.control.counters(owner);
    await deliver();
    await stack.sandbox.control.pushesSettled();
    const after = stack.sandbox.control.counters(owner);
    return { delivered: after.pushesDelivered - before.pushesDelivered, failed: after.pushesFailed - before.pushesFailed };
  }

  let owner = '';
  let send: () => Promise<unknown> = async () => undefined;

  it('accepts pushes signed for the configured service account', async () => {
    const s = await setupMailbox(stack, 'gmail', { tag: 'push-auth' });
    owner = s.owner;
    send = () => s.sandbox.deliver({ from: s.client, to: [s.owner], subject: 'ping', text: 'ping' });
    expect(await pushOutcomes(send)).toEqual({ delivered: 1, failed: 0 });
  });

  it('refuses a push from another service account with 401, on every retry', async () => {
    stack.sandbox.control.setPushIdentity({ serviceAccount: 'pusher@another-project.iam.gserviceaccount.com' });
    try {
      const outcome = await pushOutcomes(send);
      expect(outcome.delivered).toBe(0);
      expect(outcome.failed).toBeGreaterThanOrEqual(1);
    } finally {
      stack.sandbox.control.setPushIdentity(null);
    }
  });

  it('refuses a push whose email claim is not verified', async () => {
    stack.sandbox.control.setPushIdentity({ serviceAccount: stack.sandbox.pushServiceAccount, emailVerified: false });
    try {
      const outcome = await pushOutcomes(send);
      expect(outcome.delivered).toBe(0);
      expect(outcome.failed).toBeGreaterThanOrEqual(1);
    } finally {
      stack.sandbox.control.setPushIdentity(null);
    }
    expect(await pushOutcomes(send)).toEqual({ delivered: 1, failed: 0 });
  });

  it('answers 401 in the error shape without a bearer token', async () => {
    const res = await stack.app.inject({ method: 'POST', url: '/webhooks/gmail', payload: { message: { data: 'e30=' } } });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toEqual({ error: { code: 'UNAUTHORIZED', message: 'missing bearer token' } });
  });
});
