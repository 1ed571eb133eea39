import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { GraphError } from '@microsoft/microsoft-graph-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectSandboxAccount, startGraphSandbox, type ConnectedAccount, type GraphSandbox } from '../src/microsoft';
import { waitFor } from './helpers/wait';

interface Received {
  path: string;
  validationToken: string | null;
  contentType: string;
  body: string;
}

/** A webhook receiver like the engine's: echoes validation tokens, acknowledges notifications with 202. */
class Receiver {
  readonly received: Received[] = [];
  failNext = 0;
  echo: (token: string) => string = (token) => token;
  private server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const validationToken = url.searchParams.get('validationToken');
      this.received.push({ path: url.pathname, validationToken, contentType: String(req.headers['content-type']), body });
      if (validationToken !== null) {
        res.writeHead(200, { 'Content-Type': 'text/plain' }).end(this.echo(validationToken));
      } else if (this.failNext > 0) {
        this.failNext -= 1;
        res.writeHead(500).end();
      } else res.writeHead(202).end();
    });
  });

  url = '';

  async start(): Promise<void> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', () => r()));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  notifications(pathname: string): { value: Record<string, unknown>[] }[] {
    return this.received.filter((r) => r.path === pathname && r.validationToken === null).map((r) => JSON.parse(r.body) as { value: Record<string, unknown>[] });
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((r) => this.server.close(() => r()));
  }
}

let sandbox: GraphSandbox;
let receiver: Receiver;
let ann: ConnectedAccount;

const inMinutes = (m: number) => new Date(Date.now() + m * 60_000).toISOString();

function subscribe(extra: Record<string, unknown> = {}) {
  return ann.client.api('/subscriptions').post({
    changeType: 'created',
    notificationUrl: `${receiver.url}/hooks/outlook?tenant=t1`,
    resource: "/me/mailFolders('inbox')/messages",
    expirationDateTime: inMinutes(60),
    clientState: 'client-state-1',
    ...extra,
  });
}

beforeAll(async () => {
  receiver = new Receiver();
  await receiver.start();
  sandbox = await startGraphSandbox({ certDir: path.join(os.tmpdir(), 'mailsync-graph-test-ca'), port: 0, notificationRetryDelaysMs: [50, 100] });
  ann = await connectSandboxAccount(sandbox, 'ann@notify.test');
});

afterAll(async () => {
  await sandbox.close();
  await receiver.close();
});

describe('change notification subscriptions', () => {
  it('validates the endpoint, then posts created notifications carrying the clientState', async () => {
    const sub = await subscribe();
    expect(sub).toMatchObject({ resource: "/me/mailFolders('inbox')/messages", changeType: 'created', clientState: 'client-state-1', notificationUrl: `${receiver.url}/hooks/outlook?tenant=t1` });
    const validation = receiver.received.find((r) => r.validationToken !== null);
    expect(validation?.contentType).toMatch(/^text\/plain/);
    expect(validation?.validationToken).toMatch(/^Validation: Testing client application reachability/);

    await ann.client.api('/me/sendMail').post({ message: { subject: 'out', toRecipients: [{ emailAddress: { address: 'x@outside.test' } }] } });
    const inbound = await sandbox.control.deliver('ann@notify.test', { from: 'carol@outside.test', subject: 'Hello', text: 'hi' });
    const [batch] = await waitFor(async () => (receiver.notifications('/hooks/outlook').length ? receiver.notifications('/hooks/outlook') : null));
    const path = `Users/${ann.grant.userId}/Messages/${inbound.id}`;
    expect(batch?.value).toEqual([
      {
        subscriptionId: sub.id,
        subscriptionExpirationDateTime: expect.any(String),
        changeType: 'created',
        resource: path,
        resourceData: { '@odata.type': '#Microsoft.Graph.Message', '@odata.id': path, '@odata.etag': expect.stringMatching(/^W\/"/), id: inbound.id },
        clientState: 'client-state-1',
        tenantId: sandbox.tenant,
      },
    ]);
    await ann.client.api(`/subscriptions/${sub.id}`).delete();
  });

  it('refuses an endpoint that does not echo the token, and lifetimes beyond 4,230 minutes', async () => {
    receiver.echo = (token) => encodeURIComponent(token);
    const refused = await subscribe().catch((e: unknown) => e);
    receiver.echo = (token) => token;
    expect(refused).toBeInstanceOf(GraphError);
    expect(refused).toMatchObject({ statusCode: 400, code: 'ValidationError' });

    const tooLong = await subscribe({ expirationDateTime: inMinutes(4231) }).catch((e: unknown) => e);
    expect(tooLong).toMatchObject({ statusCode: 400, code: 'ExtensionError', message: 'Subscription expiration can only be 4230 minutes in the future.' });
  });

  it('renews with PATCH, lists, and deletes', async () => {
    const sub = await subscribe();
    const renewed = await ann.client.api(`/subscriptions/${sub.id}`).patch({ expirationDateTime: inMinutes(4000) });
    expect(Date.parse(renewed.expirationDateTime)).toBeGreaterThan(Date.parse(sub.expirationDateTime));
    expect((await ann.client.api('/subscriptions').get()).value.map((s: { id: string }) => s.id)).toContain(sub.id);
    await ann.client.api(`/subscriptions/${sub.id}`).delete();
    const gone = await ann.client.api(`/subscriptions/${sub.id}`).get().catch((e: unknown) => e);
    expect(gone).toMatchObject({ statusCode: 404 });
  });

  it('retries a notification the endpoint failed to accept', async () => {
    const sub = await subscribe({ notificationUrl: `${receiver.url}/hooks/retry` });
    await sandbox.control.resetCounters('ann@notify.test');
    receiver.failNext = 1;
    await sandbox.control.deliver('ann@notify.test', { from: 'carol@outside.test', subject: 'Retry me', text: 'hi' });
    await waitFor(async () => receiver.notifications('/hooks/retry').length >= 2);
    const info = await waitFor(async () => (await sandbox.control.subscriptions('ann@notify.test')).find((s) => s.id === sub.id && s.notificationsDelivered === 1));
    expect(info).toMatchObject({ failedAttempts: 1, notificationsDelivered: 1 });
    const [failed, accepted] = receiver.notifications('/hooks/retry');
    expect(accepted).toEqual(failed);
    expect(await sandbox.control.counters('ann@notify.test')).toMatchObject({ pushesSent: 2, pushesDelivered: 1, pushesFailed: 1 });
    await ann.client.api(`/subscriptions/${sub.id}`).delete();
  });

  it('sends lifecycle events to the lifecycle URL; subscriptionRemoved ends the subscription', async () => {
    const sub = await subscribe({ lifecycleNotificationUrl: `${receiver.url}/hooks/lifecycle` });
    await sandbox.control.triggerLifecycle(sub.id, 'missed');
    await sandbox.control.triggerLifecycle(sub.id, 'subscriptionRemoved');
    const events = receiver.notifications('/hooks/lifecycle').flatMap((b) => b.value);
    expect(events.map((e) => [e.subscriptionId, e.lifecycleEvent, e.clientState])).toEqual([
      [sub.id, 'missed', 'client-state-1'],
      [sub.id, 'subscriptionRemoved', 'client-state-1'],
    ]);
    const gone = await ann.client.api(`/subscriptions/${sub.id}`).get().catch((e: unknown) => e);
    expect(gone).toMatchObject({ statusCode: 404 });
  });
});
