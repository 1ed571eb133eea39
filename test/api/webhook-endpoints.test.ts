import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_WEBHOOK_SETTINGS } from '../../src/crm-webhooks/settings';
import { startStack, type Stack } from '../helpers/stack';
import { startWebhookReceiver, verifyWebhook, type WebhookReceiver } from '../helpers/webhook-receiver';

describe('webhook endpoints through the API', () => {
  let stack: Stack;
  let receiver: WebhookReceiver;
  beforeAll(async () => {
    // The receiver runs on loopback: allowed here as under `npm run dev`.
    stack = await startStack({ webhooks: { ...DEFAULT_WEBHOOK_SETTINGS, allowPrivate: 'loopback', pollMs: 200 } });
    receiver = await startWebhookReceiver();
  });
  afterAll(async () => {
    await stack.close();
    await receiver.close();
  });

  it('creates, reads, lists, updates and deletes an endpoint; its secret is shown only on creation', async () => {
    const created = await stack.api('POST', '/v1/webhooks', { url: receiver.url, description: 'CRM', eventTypes: ['message.synced', 'message.sent'] });
    expect(created.status).toBe(201);
    expect(created.body.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const { endpoint } = created.body;
    expect(endpoint).toMatchObject({ url: receiver.url, description: 'CRM', eventTypes: ['message.synced', 'message.sent'], enabled: true, status: 'active', failingSince: null, previousSecretExpiresAt: null });
    expect(endpoint.id).toMatch(/^whep_/);

    const read = await stack.api('GET', `/v1/webhooks/${endpoint.id}`);
    expect(read).toEqual({ status: 200, body: endpoint });
    expect(JSON.stringify(read.body)).not.toContain(created.body.secret);
    const row = await stack.db.selectFrom('webhook_endpoints').select('secret').where('id', '=', endpoint.id).executeTakeFirstOrThrow();
    expect(JSON.stringify(row.secret)).not.toContain(created.body.secret.slice(6));

    const second = await stack.api('POST', '/v1/webhooks', { url: `${receiver.url}/second` });
    expect(second.body.endpoint.eventTypes).toEqual([]);
    const page1 = await stack.api('GET', '/v1/webhooks?limit=1');
    const page2 = await stack.api('GET', `/v1/webhooks?limit=1&cursor=${page1.body.nextCursor}`);
    const ids = [endpoint.id, second.body.endpoint.id].sort();
    expect([page1.body.webhooks[0].id, page2.body.webhooks[0].id]).toEqual(ids);
    expect(JSON.stringify([page1.body, page2.body])).not.toContain('whsec_');

    const patched = await stack.api('PATCH', `/v1/webhooks/${endpoint.id}`, { enabled: false, eventTypes: ['decision.skipped'] });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ id: endpoint.id, enabled: false, eventTypes: ['decision.skipped'], url: receiver.url });

    const deleted = await stack.api('DELETE', `/v1/webhooks/${endpoint.id}`);
    expect(deleted.status).toBe(200);
    expect((await stack.api('GET', `/v1/webhooks/${endpoint.id}`)).body.error).toEqual({ code: 'NOT_FOUND', message: `webhook ${endpoint.id} does not exist`, details: { webhook: endpoint.id } });
    expect(await stack.db.selectFrom('webhook_endpoints').select('id').where('id', '=', endpoint.id).execute()).toEqual([]);
  });

  it('names what is wrong in a refused endpoint', async () => {
    const cases: [unknown, string][] = [
      [{}, 'body.url is required'],
      [{ url: receiver.url, eventTypes: ['message.exploded'] }, 'body.eventTypes.0'],
      [{ url: receiver.url, colour: 'blue' }, 'body.colour is not a known field'],
      [{ url: 'not a url' }, 'body.url must be an absolute http(s) URL'],
      [{ url: 'ftp://files.example.com/hook' }, 'body.url must use http or https, not ftp'],
      [{ url: 'https://user:pw@crm.example.com/hook' }, 'body.url must not carry a user name or password'],
    ];
    for (const [body, message] of cases) {
      const res = await stack.api('POST', '/v1/webhooks', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
      expect(res.body.error.message).toContain(message);
    }
    const empty = await stack.api('PATCH', '/v1/webhooks/whep_none', {});
    expect(empty.status).toBe(400);
    expect((await stack.api('PATCH', '/v1/webhooks/whep_none', { enabled: true })).status).toBe(404);
  });

  it('refuses private, link-local and metadata addresses (loopback is allowed by this configuration only)', async () => {
    for (const url of ['http://10.0.0.5/hook', 'http://192.168.1.20:8080/hook', 'http://169.254.169.254/latest/meta-data', 'http://[fd00::1]/hook', 'http://[::ffff:10.1.2.3]/hook']) {
      const res = await stack.api('POST', '/v1/webhooks', { url });
      expect(res.status, url).toBe(400);
      expect(res.body.error.message).toMatch(/^body\.url resolves to a private address .*MAILSYNC_WEBHOOK_ALLOW_PRIVATE/);
      expect(res.body.error.details).toEqual({ fields: [{ field: 'body.url', problem: expect.stringContaining('private address') }] });
    }
    const created = await stack.api('POST', '/v1/webhooks', { url: receiver.url });
    const patched = await stack.api('PATCH', `/v1/webhooks/${created.body.endpoint.id}`, { url: 'http://172.16.0.9/hook' });
    expect(patched.status).toBe(400);
    expect((await stack.api('GET', `/v1/webhooks/${created.body.endpoint.id}`)).body.url).toBe(receiver.url);
  });

  it('sends a signed test message and reports the answer', async () => {
    const created = await stack.api('POST', '/v1/webhooks', { url: receiver.url });
    const before = receiver.requests.length;
    const res = await stack.api('POST', `/v1/webhooks/${created.body.endpoint.id}/test`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ delivered: true, statusCode: 204, error: null });
    const got = receiver.requests.slice(before);
    expect(got).toHaveLength(1);
    expect(verifyWebhook(created.body.secret, got[0]!)).toMatchObject({ type: 'webhook.test', data: { endpointId: created.body.endpoint.id } });
    receiver.answer(() => 503);
    const failed = await stack.api('POST', `/v1/webhooks/${created.body.endpoint.id}/test`);
    receiver.answer(() => 204);
    expect(failed.body).toMatchObject({ delivered: false, statusCode: 503, error: 'HTTP 503' });
  });

  it('rotates the secret: for 24 hours deliveries verify with the new secret and with the old one', async () => {
    const created = await stack.api('POST', '/v1/webhooks', { url: receiver.url });
    const id = created.body.endpoint.id;
    const oldSecret = created.body.secret as string;
    const rotated = await stack.api('POST', `/v1/webhooks/${id}/rotate-secret`);
    expect(rotated.status).toBe(200);
    const newSecret = rotated.body.secret as string;
    expect(newSecret).toMatch(/^whsec_/);
    expect(newSecret).not.toBe(oldSecret);
    const expires = Date.parse(rotated.body.endpoint.previousSecretExpiresAt);
    expect(expires - Date.now()).toBeGreaterThan(23.9 * 3_600_000);
    expect(expires - Date.now()).toBeLessThanOrEqual(24 * 3_600_000);
    expect(JSON.stringify((await stack.api('GET', `/v1/webhooks/${id}`)).body)).not.toContain(newSecret);

    const before = receiver.requests.length;
    await stack.api('POST', `/v1/webhooks/${id}/test`);
    const got = receiver.requests[before]!;
    expect(got.headers['webhook-signature']!.split(' ')).toHaveLength(2);
    expect(verifyWebhook(newSecret, got).type).toBe('webhook.test');
    expect(verifyWebhook(oldSecret, got).type).toBe('webhook.test');
    expect(() => verifyWebhook(`whsec_${Buffer.alloc(32, 7).toString('base64')}`, got)).toThrow();

    // Once the old secret's day is over, only the new one signs.
    await stack.db.updateTable('webhook_endpoints').set({ previous_secret_expires_at: new Date(Date.now() - 1000) }).where('id', '=', id).execute();
    const after = receiver.requests.length;
    await stack.api('POST', `/v1/webhooks/${id}/test`);
    const later = receiver.requests[after]!;
    expect(verifyWebhook(newSecret, later).type).toBe('webhook.test');
    expect(() => verifyWebhook(oldSecret, later)).toThrow();
    expect((await stack.api('GET', `/v1/webhooks/${id}`)).body.previousSecretExpiresAt).toBeNull();
  });
});
