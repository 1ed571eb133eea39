import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveMetrics, type MetricsListener } from '../../src/metrics/serve';
import { uniqueAddress } from '../helpers/addresses';
import { decisionsFor } from '../helpers/crm-views';
import { startGmailStack, type GmailStack } from '../helpers/gmail-stack';
import { setupMailbox } from '../helpers/mailbox';
import { API_KEY } from '../helpers/stack';
import { waitFor } from '../helpers/wait';

/** The sample lines of a Prometheus text scrape, comments left out. */
const samples = (text: string) => text.split('\n').filter((line) => line !== '' && !line.startsWith('#'));

describe('metrics', () => {
  let stack: GmailStack;
  let workerListener: MetricsListener;
  beforeAll(async () => {
    stack = await startGmailStack();
    workerListener = await serveMetrics(stack.workerMetrics.registry, { host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => {
    await workerListener?.close();
    await stack?.close();
  });

  const workerScrape = async () => {
    const res = await fetch(workerListener.url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    return samples(await res.text());
  };

  it('after a real sync and a send: the API counts requests by route pattern and mailboxes by status; the worker counts decisions by rule id and sends by outcome', async () => {
    const s = await setupMailbox(stack, 'gmail', { tag: 'metrics' });
    const synced = await s.sandbox.deliver({ from: s.client, to: [s.owner], subject: 'Quote please', text: 'Hi' });
    const skipped = await s.sandbox.deliver({ from: uniqueAddress('stranger', 'else.test'), to: [s.owner], subject: 'Offer', text: 'Buy now' });
    expect(await decisionsFor(stack, s.connectionId, synced.messageId)).toMatchObject([{ ruleId: 'R2', outcome: 'synced' }]);
    expect(await decisionsFor(stack, s.connectionId, skipped.messageId)).toMatchObject([{ ruleId: 'R2', outcome: 'skipped' }]);
    expect((await s.send({ contactId: 'c-1', subject: 'Your quote', text: 'Here it is' })).status).toBe(201);

    // Prometheus scrapes without the API key.
    const res = await stack.app.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const api = samples(res.body);
    expect(api).toContain('mailsync_http_requests_total{method="POST",route="/v1/connections",status="201"} 1');
    expect(api).toContain('mailsync_http_requests_total{method="POST",route="/v1/connections/:id/messages",status="201"} 1');
    expect(api.some((l) => l.startsWith('mailsync_http_requests_total{method="GET",route="/v1/connections/:id/decisions",status="200"} '))).toBe(true);
    expect(api.some((l) => l.includes(s.connectionId))).toBe(false);
    expect(api.filter((l) => l.startsWith('mailsync_mailboxes{'))).toEqual([
      'mailsync_mailboxes{provider="gmail",status="active"} 1',
      'mailsync_mailboxes{provider="gmail",status="backing_off"} 0',
      'mailsync_mailboxes{provider="gmail",status="needs_reauth"} 0',
      'mailsync_mailboxes{provider="gmail",status="disconnected"} 0',
      'mailsync_mailboxes{provider="outlook",status="active"} 0',
      'mailsync_mailboxes{provider="outlook",status="backing_off"} 0',
      'mailsync_mailboxes{provider="outlook",status="needs_reauth"} 0',
      'mailsync_mailboxes{provider="outlook",status="disconnected"} 0',
    ]);
    expect(api).toContain('mailsync_sync_lag_seconds_bucket{le="+Inf",provider="gmail"} 1');
    expect(api).toContain('mailsync_sync_lag_seconds_count{provider="gmail"} 1');

    const worker = await workerScrape();
    expect(worker).toContain('mailsync_messages_decided_total{provider="gmail",outcome="synced",rule_id="R2"} 1');
    expect(worker).toContain('mailsync_messages_decided_total{provider="gmail",outcome="skipped",rule_id="R2"} 1');
    expect(worker).toContain('mailsync_send_attempts_total{provider="gmail",outcome="sent"} 1');
    // The Sent copy of the CRM send is matched to its record when the next page reads it (R22).
    await waitFor(async () => (await workerScrape()).includes('mailsync_messages_decided_total{provider="gmail",outcome="matched",rule_id="R22"} 1'));
  });

  it('a 429 from Gmail is counted as a rate limit, and the mailbox going into backoff as one backoff', async () => {
    const s = await setupMailbox(stack, 'gmail', { tag: 'metrics429' });
    s.sandbox.injectFaults({ operation: 'history.list', count: 1, status: 429, retryAt: new Date(Date.now() + 2_000).toISOString() });
    const m = await s.sandbox.deliver({ from: s.client, to: [s.owner], subject: 'After the limit', text: 'Hi' });
    expect(await decisionsFor(stack, s.connectionId, m.messageId)).toMatchObject([{ outcome: 'synced' }]);
    const worker = await workerScrape();
    expect(worker).toContain('mailsync_provider_rate_limited_total{provider="gmail"} 1');
    expect(worker).toContain('mailsync_backoffs_total{provider="gmail"} 1');
  });

  it('a request no route matches is counted as unmatched, never by its raw URL', async () => {
    const res = await stack.app.inject({ method: 'GET', url: '/no/such/path-9f3a', headers: { authorization: `Bearer ${API_KEY}` } });
    expect(res.statusCode).toBe(404);
    const api = samples((await stack.app.inject({ method: 'GET', url: '/metrics' })).body);
    expect(api).toContain('mailsync_http_requests_total{method="GET",route="unmatched",status="404"} 1');
    expect(api.some((l) => l.includes('path-9f3a'))).toBe(false);
  });
});

/** A port free right now, for a child process to bind. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function stop(child: ChildProcess | null): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

describe('the worker entry point', () => {
  it('serves mailsync metrics and the Temporal SDK metrics on the configured ports', async () => {
    const [port, temporalPort] = [await freePort(), await freePort()];
    const stack = await startGmailStack({ inProcessWorker: false });
    let child: ChildProcess | null = null;
    try {
      child = spawn(process.execPath, ['--import', 'tsx', path.resolve(__dirname, '../../src/worker.ts')], {
        env: {
          ...process.env,
          DATABASE_URL: stack.testDb.url,
          TEMPORAL_ADDRESS: process.env.TEMPORAL_ADDRESS!,
          TEMPORAL_TASK_QUEUE: stack.taskQueue,
          MAILSYNC_API_KEYS: 'metrics-test-key-0123456789',
          MAILSYNC_ENCRYPTION_KEYS: stack.workerEnv.ENCRYPTION_KEYS!,
          MAILSYNC_WORKFLOW_BUNDLE: process.env.MAILSYNC_TEST_WORKFLOW_BUNDLE!,
          MAILSYNC_WORKER_METRICS_PORT: String(port),
          MAILSYNC_TEMPORAL_METRICS_PORT: String(temporalPort),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
      await waitFor(async () => output.includes('"msg":"worker metrics"') && output.includes(`http://127.0.0.1:${port}/metrics`), { timeoutMs: 60_000 }).catch((err: Error) => {
        throw new Error(`${err.message}\n${output}`);
      });

      const mailsync = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      expect(mailsync).toContain('# TYPE mailsync_messages_decided_total counter');
      expect(mailsync).toContain('# TYPE mailsync_webhook_delivery_lag_seconds histogram');
      expect(samples(mailsync).some((l) => l.startsWith('mailsync_process_resident_memory_bytes '))).toBe(true);
      expect((await fetch(`http://127.0.0.1:${port}/other`)).status).toBe(404);

      const temporal = await waitFor(async () => {
        const text = await (await fetch(`http://127.0.0.1:${temporalPort}/metrics`)).text();
        return samples(text).some((l) => l.startsWith(`temporal_num_pollers{`) && l.includes(`task_queue="${stack.taskQueue}"`)) ? text : null;
      });
      expect(samples(temporal).some((l) => l.startsWith('temporal_worker_task_slots_available{'))).toBe(true);
    } finally {
      await stop(child);
      await stack.close();
    }
  });
});
