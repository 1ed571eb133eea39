import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendEvent } from '../../src/db/repositories/events';
import { CONFIGURED_ENDPOINT_ID, startWebhookEndpoints } from '../../src/crm-webhooks/configured-endpoint';
import { DEFAULT_WEBHOOK_SETTINGS, type WebhookSettings } from '../../src/crm-webhooks/settings';
import { webhookWorkflowId } from '../../src/workflows/webhook-definitions';
import { webhookEndpointWorkflow } from '../../src/workflows/webhook-endpoint-workflow';
import { uniqueAddress } from '../helpers/addresses';
import { decisionsFor } from '../helpers/crm-views';
import { startGmailStack, type GmailStack } from '../helpers/gmail-stack';
import { setupMailbox } from '../helpers/mailbox';
import { waitFor } from '../helpers/wait';
import { startWebhookReceiver, verifyWebhook, type ReceivedWebhook, type WebhookReceiver } from '../helpers/webhook-receiver';

/**
 * Retries every 100–400 ms; an endpoint gives up 4 s after its first failure. Requests wait up to 10 s: on a
 * loaded CI machine a loopback answer can take seconds, and a timeout there would count as a failed attempt.
 */
const GIVE_UP_MS = 4_000;
const SETTINGS: WebhookSettings = { ...DEFAULT_WEBHOOK_SETTINGS, allowPrivate: 'loopback', pollMs: 100, requestTimeoutMs: 10_000, retry: { initialMs: 100, maxMs: 400, giveUpMs: GIVE_UP_MS } };

describe('webhook delivery', () => {
  let stack: GmailStack;
  const receivers: WebhookReceiver[] = [];
  beforeAll(async () => {
    stack = await startGmailStack({ webhooks: SETTINGS });
  });
  afterAll(async () => {
    await stack.close();
    for (const r of receivers) await r.close();
  });

  async function receiver(): Promise<WebhookReceiver> {
    const r = await startWebhookReceiver();
    receivers.push(r);
    return r;
  }

  async function endpoint(r: WebhookReceiver, body: Record<string, unknown> = {}): Promise<{ id: string; secret: string }> {
    const res = await stack.api('POST', '/v1/webhooks', { url: r.url, ...body });
    expect(res.status).toBe(201);
    return { id: res.body.endpoint.id, secret: res.body.secret };
  }

  /** Events of one test (its own location), as an activity writes them to the outbox; their feed ids once sequenced. */
  async function emit(locationId: string, count: number): Promise<string[]> {
    for (let i = 1; i <= count; i++) await appendEvent(stack.db, { type: 'message.synced', locationId, connectionId: `conn_${locationId}`, payload: { messageId: `msg_${locationId}_${i}` } });
    const feed = await stack.api('GET', '/v1/events?limit=1000');
    return feed.body.events.filter((e: { locationId: string }) => e.locationId === locationId).map((e: { id: string }) => e.id);
  }

  const of = (locationId: string, list: ReceivedWebhook[]) => list.filter((r) => JSON.parse(r.body).data.locationId === locationId);
  const messageIds = (secret: string, list: ReceivedWebhook[]) => list.map((r) => verifyWebhook(secret, r).data.messageId);

  it('delivers each event in feed order, signed, with the event id as webhook-id, and lists the deliveries', async () => {
    const r = await receiver();
    const e = await endpoint(r);
    const ids = await emit('loc-order', 5);
    await waitFor(async () => of('loc-order', r.accepted()).length === 5);
    const got = of('loc-order', r.accepted());
    expect(messageIds(e.secret, got)).toEqual([1, 2, 3, 4, 5].map((i) => `msg_loc-order_${i}`));
    expect(got.map((g) => g.headers['webhook-id'])).toEqual(ids.map((id) => `evt_${id}`));
    expect(got.map((g) => verifyWebhook(e.secret, g))[0]).toMatchObject({ type: 'message.synced', data: { eventId: ids[0], locationId: 'loc-order', connectionId: 'conn_loc-order' } });
    expect(() => verifyWebhook(e.secret, { ...got[0]!, body: got[0]!.body.replace('msg_loc', 'msg_lox') })).toThrow();

    const deliveries = await stack.api('GET', `/v1/webhooks/${e.id}/deliveries`);
    expect(deliveries.status).toBe(200);
    expect(deliveries.body.deliveries.map((d: { eventId: string }) => d.eventId)).toEqual([...ids].reverse());
    expect(deliveries.body.deliveries[0]).toMatchObject({ eventType: 'message.synced', status: 'delivered', attempts: 1, lastStatusCode: 204, lastError: null, nextAttemptAt: null });
    const page = await stack.api('GET', `/v1/webhooks/${e.id}/deliveries?limit=2&cursor=${ids[3]}`);
    expect(page.body.deliveries.map((d: { eventId: string }) => d.eventId)).toEqual([ids[2], ids[1]]);
    expect((await stack.api('GET', `/v1/webhooks/${e.id}`)).body.deliveredThrough).toBe(ids[4]);
  });

  it('a failing endpoint does not delay a healthy one; it recovers and catches up in order', async () => {
    const healthy = await receiver();
    const failing = await receiver();
    const h = await endpoint(healthy);
    const f = await endpoint(failing);
    // 500s until the healthy endpoint has everything (and at least two failures): a healthy endpoint held up behind it would never get there.
    let failures = 0;
    failing.answer(() => {
      if (of('loc-both', healthy.accepted()).length < 4 || failures < 2) {
        failures++;
        return 500;
      }
      return 204;
    });
    await emit('loc-both', 4);
    await waitFor(async () => of('loc-both', failing.accepted()).length === 4);
    expect(messageIds(h.secret, of('loc-both', healthy.accepted()))).toEqual([1, 2, 3, 4].map((i) => `msg_loc-both_${i}`));
    expect(messageIds(f.secret, of('loc-both', failing.accepted()))).toEqual([1, 2, 3, 4].map((i) => `msg_loc-both_${i}`));
    // Only the first event was tried while failing: order is kept, nothing after it went out first.
    const tried = of('loc-both', failing.requests).map((r) => JSON.parse(r.body).data.messageId);
    expect(tried).toEqual([...Array(failures).fill('msg_loc-both_1'), 'msg_loc-both_1', 'msg_loc-both_2', 'msg_loc-both_3', 'msg_loc-both_4']);
    const log = (await stack.api('GET', `/v1/webhooks/${f.id}/deliveries`)).body.deliveries;
    expect(log.at(-1)).toMatchObject({ status: 'delivered', attempts: failures + 1, lastStatusCode: 204 });
    expect((await stack.api('GET', `/v1/webhooks/${f.id}`)).body).toMatchObject({ status: 'active', failingSince: null });
  });

  it('gives up after the window and marks the endpoint failing, keeping its deliveries; re-delivery resumes, and replays from a position', async () => {
    const r = await receiver();
    r.answer(() => 500);
    const e = await endpoint(r);
    const ids = await emit('loc-giveup', 3);
    const failed = await waitFor(async () => {
      const res = await stack.api('GET', `/v1/webhooks/${e.id}`);
      return res.body.status === 'failing' ? res.body : null;
    }, { timeoutMs: GIVE_UP_MS + 20_000 });
    expect(failed.deliveredThrough).not.toBe(ids[0]);
    const attempts = of('loc-giveup', r.requests);
    expect(new Set(attempts.map((a) => JSON.parse(a.body).data.messageId))).toEqual(new Set(['msg_loc-giveup_1']));
    expect(attempts.length).toBeGreaterThanOrEqual(3);
    const log = (await stack.api('GET', `/v1/webhooks/${e.id}/deliveries`)).body.deliveries;
    expect(log).toEqual([expect.objectContaining({ eventId: ids[0], status: 'failed', attempts: attempts.length, lastStatusCode: 500, lastError: 'HTTP 500', nextAttemptAt: null, deliveredAt: null })]);
    // The window is measured from the first failure: the last try falls on its deadline.
    const firstTry = Number(attempts[0]!.headers['webhook-timestamp']);
    const lastTry = Number(attempts.at(-1)!.headers['webhook-timestamp']);
    expect(lastTry - firstTry).toBeGreaterThanOrEqual(GIVE_UP_MS / 1000 - 1);

    // Nothing more is tried while failing; re-delivery resumes where it stopped.
    r.answer(() => 204);
    const resumed = await stack.api('POST', `/v1/webhooks/${e.id}/redeliver`);
    expect(resumed.body).toMatchObject({ status: 'active', failingSince: null });
    await waitFor(async () => of('loc-giveup', r.accepted()).length === 3);
    expect(messageIds(e.secret, of('loc-giveup', r.accepted()))).toEqual([1, 2, 3].map((i) => `msg_loc-giveup_${i}`));

    // Re-delivery from a position: everything after the first event, again, in order and with the same webhook-ids.
    const replay = await stack.api('POST', `/v1/webhooks/${e.id}/redeliver`, { after: ids[0] });
    expect(replay.status).toBe(200);
    await waitFor(async () => of('loc-giveup', r.accepted()).length === 5);
    const again = of('loc-giveup', r.accepted()).slice(3);
    expect(again.map((g) => g.headers['webhook-id'])).toEqual([`evt_${ids[1]}`, `evt_${ids[2]}`]);
    expect((await stack.api('GET', `/v1/webhooks/${e.id}/deliveries`)).body.deliveries.map((d: { status: string; attempts: number }) => [d.status, d.attempts])).toEqual([
      ['delivered', 2],
      ['delivered', 2],
      ['delivered', attempts.length + 1],
    ]);
    const tooFar = await stack.api('POST', `/v1/webhooks/${e.id}/redeliver`, { after: '999999999999' });
    expect(tooFar.status).toBe(400);
    expect(tooFar.body.error.message).toContain('body.after is past the feed');
  });

  it('a disabled endpoint gets nothing until enabled again, then everything it missed, in order', async () => {
    const r = await receiver();
    const e = await endpoint(r, { enabled: false });
    await emit('loc-paused', 2);
    const other = await receiver();
    const o = await endpoint(other);
    await emit('loc-paused-2', 1);
    // Another endpoint got the later event, so the disabled one has had every chance to misbehave.
    await waitFor(async () => of('loc-paused-2', other.accepted()).length === 1);
    expect(r.requests).toEqual([]);
    expect(o.id).not.toBe(e.id);
    await stack.api('PATCH', `/v1/webhooks/${e.id}`, { enabled: true });
    await waitFor(async () => of('loc-paused-2', r.accepted()).length === 1);
    expect(r.accepted().map((g) => JSON.parse(g.body).data.messageId)).toEqual(['msg_loc-paused_1', 'msg_loc-paused_2', 'msg_loc-paused-2_1']);
  });

  it('decision.skipped is opt-in: written to the feed only while an endpoint lists it, and delivered only to that endpoint', async () => {
    const s = await setupMailbox(stack, 'gmail', { tag: 'skipped' });
    const before = await s.sandbox.deliver({ from: uniqueAddress('stranger', 'else.test'), to: [s.owner], subject: 'Offer', text: 'Buy now' });
    expect(await decisionsFor(stack, s.connectionId, before.messageId)).toMatchObject([{ reason: 'unknown_sender', outcome: 'skipped' }]);
    expect((await stack.api('GET', '/v1/events?type=decision.skipped')).body.events).toEqual([]);

    const everything = await receiver();
    const optedIn = await receiver();
    await endpoint(everything);
    const e = await endpoint(optedIn, { eventTypes: ['decision.skipped'] });
    const after = await s.sandbox.deliver({ from: uniqueAddress('stranger', 'else.test'), to: [s.owner], subject: 'Another offer', text: 'Buy more' });
    await waitFor(async () => optedIn.accepted().length === 1);
    const skipped = verifyWebhook(e.secret, optedIn.accepted()[0]!);
    expect(skipped).toMatchObject({
      type: 'decision.skipped',
      data: { providerMessageId: after.messageId, connectionId: s.connectionId, locationId: s.locationId, ruleId: 'R2', reason: 'unknown_sender', subject: 'Another offer' },
    });
    // The endpoint with no list passes the opt-in type by: its position moves past it, nothing is sent.
    const through = await waitFor(async () => {
      const res = await stack.api('GET', `/v1/webhooks`);
      const all = res.body.webhooks.find((w: { url: string }) => w.url === everything.url);
      return BigInt(all.deliveredThrough) >= BigInt(skipped.data.eventId) ? all : null;
    });
    expect(through.status).toBe('active');
    expect(everything.accepted().map((g) => JSON.parse(g.body).type)).not.toContain('decision.skipped');
  });

  it('keeps delivering in order across continue-as-new', async () => {
    const r = await receiver();
    const created = await stack.api('POST', '/v1/webhooks', { url: r.url, enabled: false });
    const { id } = created.body.endpoint;
    const handle = await stack.client.workflow.start(webhookEndpointWorkflow, { workflowId: webhookWorkflowId(id), taskQueue: stack.taskQueue, args: [{ endpointId: id, batchesPerRun: 2 }] });
    await stack.api('PATCH', `/v1/webhooks/${id}`, { enabled: true });
    for (let i = 1; i <= 3; i++) {
      await emit(`loc-can-${i}`, 2);
      await waitFor(async () => of(`loc-can-${i}`, r.accepted()).length === 2);
    }
    expect(r.accepted().map((g) => verifyWebhook(created.body.secret, g).data.messageId)).toEqual([1, 2, 3].flatMap((i) => [`msg_loc-can-${i}_1`, `msg_loc-can-${i}_2`]));
    const latest = await stack.client.workflow.getHandle(webhookWorkflowId(id)).describe();
    expect(latest.runId).not.toBe(handle.firstExecutionRunId);
    expect(latest.status.name).toBe('RUNNING');
  });

  it('MAILSYNC_WEBHOOK_URL becomes the endpoint whep_env, continuing after the last event the old dispatcher delivered', async () => {
    const r = await receiver();
    const secret = `whsec_${Buffer.from('mailsync-test-webhook-secret-32b').toString('base64')}`;
    const ids = await emit('loc-env', 3);
    // The single env-configured dispatcher of earlier versions had delivered the first of these.
    await stack.db.updateTable('events').set({ delivered_at: new Date() }).where('position', '<=', ids[0]!).execute();
    const deps = { db: stack.db, cipher: stack.cipher, temporal: stack.client, taskQueue: stack.taskQueue, webhooks: SETTINGS };
    await startWebhookEndpoints(deps, { url: r.url, secret }, () => {});
    await waitFor(async () => of('loc-env', r.accepted()).length === 2);
    expect(messageIds(secret, of('loc-env', r.accepted()))).toEqual(['msg_loc-env_2', 'msg_loc-env_3']);
    const listed = await stack.api('GET', `/v1/webhooks/${CONFIGURED_ENDPOINT_ID}`);
    expect(listed.body).toMatchObject({ url: r.url, description: 'MAILSYNC_WEBHOOK_URL', eventTypes: [], enabled: true, status: 'active' });
    // Started again (another API replica, a restart): the same row, nothing delivered twice.
    await startWebhookEndpoints(deps, { url: r.url, secret }, () => {});
    await emit('loc-env', 1);
    await waitFor(async () => of('loc-env', r.accepted()).length === 3);
    const hookIds = of('loc-env', r.accepted()).map((g) => g.headers['webhook-id']);
    expect(new Set(hookIds).size).toBe(3);
  });
});
