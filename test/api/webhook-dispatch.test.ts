import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import { appendEvent } from '../../src/db/repositories/events';
import { startWebhookDispatcher } from '../../src/crm-webhooks/dispatcher';
import { createTestDb, type TestDb } from '../helpers/test-db';
import { waitFor } from '../helpers/wait';

const SECRET = `whsec_${Buffer.from('mailsync-test-webhook-secret-32b').toString('base64')}`;

describe('signed webhooks to the CRM', () => {
  let testDb: TestDb;
  let server: http.Server;
  let url = '';
  const received: { headers: http.IncomingHttpHeaders; body: string }[] = [];
  let failNext = 1;

  beforeAll(async () => {
    testDb = await createTestDb();
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        if (failNext-- > 0) return void res.writeHead(503).end();
        received.push({ headers: req.headers, body });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}/hooks`;
  });
  afterAll(async () => {
    server.close();
    await testDb.drop();
  });

  it('delivers the outbox in order, signed per Standard Webhooks, retrying a failed delivery', async () => {
    await appendEvent(testDb.db, { type: 'message.synced', locationId: 'loc-1', connectionId: 'conn_1', payload: { messageId: 'msg_1' } });
    await appendEvent(testDb.db, { type: 'connection.needs_reauth', locationId: 'loc-1', connectionId: 'conn_1', payload: { reason: 'revoked' } });
    const dispatcher = startWebhookDispatcher({ db: testDb.db, url, secret: SECRET, intervalMs: 50 });
    await waitFor(async () => received.length === 2);
    await dispatcher.stop();
    const verifier = new Webhook(SECRET);
    const bodies = received.map((r) => verifier.verify(r.body, r.headers as Record<string, string>) as { type: string; data: Record<string, unknown> });
    expect(bodies.map((b) => b.type)).toEqual(['message.synced', 'connection.needs_reauth']);
    expect(bodies[0]!.data).toMatchObject({ messageId: 'msg_1', locationId: 'loc-1', connectionId: 'conn_1' });
    const rows = await testDb.db.selectFrom('events').select(['attempts', 'delivered_at']).orderBy('id').execute();
    expect(rows.map((r) => [r.attempts, r.delivered_at !== null])).toEqual([[2, true], [1, true]]);
    expect(() => verifier.verify(received[0]!.body.replace('msg_1', 'msg_2'), received[0]!.headers as Record<string, string>)).toThrow();
  });
});
