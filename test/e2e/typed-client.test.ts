import { createServer, type Server } from 'node:http';
import { createMailsyncClient, verifyWebhook, WebhookVerificationError } from '@mailsync/client';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crmBackendWalkthrough } from '../../examples/crm-backend';
import { startGmailStack, type GmailStack } from '../helpers/gmail-stack';
import { API_KEY } from '../helpers/stack';

describe('the typed client (@mailsync/client) against the listening API', () => {
  let stack: GmailStack;
  beforeAll(async () => {
    stack = await startGmailStack();
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('runs the example CRM backend end to end: directory, connect, send, the reply synced into the conversation', async () => {
    const client = createMailsyncClient({ baseUrl: stack.apiUrl, apiKey: API_KEY });
    const result = await crmBackendWalkthrough({ client, sandboxUrl: stack.sandbox.url, tag: `tc${Date.now().toString(36)}` });
    expect(result.messages).toEqual([
      { direction: 'outbound', subject: 'Your quote' },
      { direction: 'inbound', subject: 'Re: Your quote' },
    ]);
    expect(result.decisions.map((d) => d.rule).sort()).toEqual(expect.arrayContaining(['R2']));
    expect(result.eventTypes).toEqual(expect.arrayContaining(['connection.connected', 'message.sent', 'message.synced']));
    const row = await stack.db.selectFrom('messages').select(['direction', 'subject']).where('conversation_id', '=', result.conversationId).orderBy('created_at').execute();
    expect(row).toEqual([
      { direction: 'outbound', subject: 'Your quote' },
      { direction: 'inbound', subject: 'Re: Your quote' },
    ]);
  });

  it('returns the error shape, typed, and sends the API key', async () => {
    const client = createMailsyncClient({ baseUrl: stack.apiUrl, apiKey: API_KEY });
    const missing = await client.GET('/v1/connections/{id}', { params: { path: { id: 'conn_nope' } } });
    expect(missing.response.status).toBe(404);
    expect(missing.error?.error.code).toBe('NOT_FOUND');
    const wrongKey = createMailsyncClient({ baseUrl: stack.apiUrl, apiKey: 'not-a-key' });
    const refused = await wrongKey.GET('/v1/events', {});
    expect(refused.response.status).toBe(401);
  });
});

describe('verifyWebhook', () => {
  const secret = `whsec_${Buffer.from('a-secret-of-thirty-two-bytes-long!').toString('base64')}`;
  let server: Server;
  let url: string;
  const received: { ok: boolean; type?: string; reason?: string }[] = [];
  beforeAll(async () => {
    // A CRM's receiver: verifies every delivery over its raw body.
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        try {
          const event = verifyWebhook(secret, req.headers, Buffer.concat(chunks));
          received.push({ ok: true, type: event.type });
          res.writeHead(204).end();
        } catch (err) {
          received.push({ ok: false, reason: err instanceof WebhookVerificationError ? 'signature' : String(err) });
          res.writeHead(400).end();
        }
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const address = server.address();
    url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/`;
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
  });

  async function deliver(body: string, signedBody = body, at = new Date()) {
    const id = `evt_${received.length + 1}`;
    const signature = new Webhook(secret).sign(id, at, signedBody);
    const headers = { 'content-type': 'application/json', 'webhook-id': id, 'webhook-timestamp': String(Math.floor(at.getTime() / 1000)), 'webhook-signature': signature };
    return (await fetch(url, { method: 'POST', headers, body })).status;
  }

  it('accepts a signed delivery and refuses a tampered body, another secret and a stale timestamp', async () => {
    const body = JSON.stringify({ type: 'message.synced', timestamp: new Date().toISOString(), data: { eventId: '1', locationId: 'l', connectionId: 'c' } });
    expect(await deliver(body)).toBe(204);
    expect(await deliver(body.replace('message.synced', 'message.sent'), body)).toBe(400);
    expect(await deliver(body, body, new Date(Date.now() - 10 * 60_000))).toBe(400);
    expect(received).toEqual([{ ok: true, type: 'message.synced' }, { ok: false, reason: 'signature' }, { ok: false, reason: 'signature' }]);
  });
});
