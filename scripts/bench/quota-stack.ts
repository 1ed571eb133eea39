import { randomBytes } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { startGmailSandbox, type GmailSandbox } from '@mailsync/provider-sandbox/gmail';
import { startGraphSandbox, type GraphSandbox } from '@mailsync/provider-sandbox/microsoft';
import { buildApp, type App } from '../../src/api/app';
import { systemClock, type ActivityDeps, type OutlookSettings } from '../../src/activities/deps';
import { createTokenCipher, parseKeyring } from '../../src/crypto';
import type { Db } from '../../src/db/client';
import { createMailboxIdentity } from '../../src/providers/identity';
import { findOrBuildTemporalCli } from '../../src/temporal/cli';
import { freePort, startDevServer } from '../../src/temporal/dev-server';
import { createMailsyncWorker, WORKFLOWS_PATH } from '../../src/worker';
import { pacingFromConfig } from '../../src/workflows/pacing-config';
import { PushRelay } from '../chaos/push-relay';
import { openScratchDb } from '../scratch-db';

/** The providers' per-mailbox limits the quota bench runs at (provider-facts 1.8, 2.5). */
export interface QuotaLimits {
  gmailUnitsPerMinute: number;
  graphRequestsPer10Minutes: number;
  graphConcurrent: number;
}

export interface QuotaStack {
  db: Db;
  app: App;
  client: Client;
  gmail: GmailSandbox;
  graph: GraphSandbox;
  /** Where both sandboxes push; `hold()` keeps pushes from the API while a backlog is delivered. */
  relay: PushRelay;
  close(): Promise<void>;
}

const KEY = `bench-quota-${randomBytes(8).toString('hex')}`;

/**
 * The real parts with the providers' real limits: a Temporal dev server (or TEMPORAL_ADDRESS), a fresh
 * database, the Gmail and Graph sandboxes at `limits`, the API and one worker on a prebuilt bundle,
 * and mailsync paced as production configures it (`pacingFromConfig`) for the same limits.
 */
export async function startQuotaStack(limits: QuotaLimits, log: (line: string) => void): Promise<QuotaStack> {
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const closers: (() => Promise<unknown>)[] = [];
  const close = async () => {
    for (const fn of closers.reverse()) await fn().catch((err: unknown) => log(`bench: closing: ${(err as Error).message}`));
  };
  try {
    let address = process.env.TEMPORAL_ADDRESS;
    if (!address) {
      const server = await startDevServer({ cliPath: findOrBuildTemporalCli(process.env, log), headless: true, log });
      closers.push(server.stop);
      address = server.address;
    }
    const scratch = await openScratchDb('mailsync_bench_quota', { max: 20 });
    closers.push(scratch.close);
    const db = scratch.db;
    const apiPort = await freePort();
    const relay = new PushRelay(`http://127.0.0.1:${apiPort}`);
    const publicUrl = await relay.listen();
    closers.push(() => relay.close());
    const gmail = await startGmailSandbox({ quotaUnitsPerMinute: limits.gmailUnitsPerMinute, pushEndpoint: `${publicUrl}/webhooks/gmail`, pushAudience: 'bench' });
    closers.push(() => gmail.close());
    const graph = await startGraphSandbox({
      maxConcurrentPerMailbox: limits.graphConcurrent,
      requestWindow: { limit: limits.graphRequestsPer10Minutes, windowMs: 10 * 60_000 },
      notificationUrlOverride: `${publicUrl}/webhooks/outlook`,
    });
    closers.push(() => graph.close());

    const google = { clientId: gmail.clientId, clientSecret: gmail.clientSecret, apiRoot: gmail.url, tokenUrl: gmail.tokenUrl, authUrl: gmail.authUrl, pubsubTopic: 'projects/bench/topics/gmail' };
    const microsoft: OutlookSettings = {
      clientId: graph.clientId, clientSecret: graph.clientSecret, authority: graph.authority, graphBaseUrl: graph.graphBaseUrl, caPem: graph.caPem,
      notificationUrl: 'https://mailsync.example/webhooks/outlook', subscriptionMinutes: 4230,
    };
    const cipher = createTokenCipher(parseKeyring(`bench:${randomBytes(32).toString('base64')}`));
    const deps: ActivityDeps = { db, cipher, google, microsoft, clock: systemClock };
    const taskQueue = `bench-quota-${randomBytes(4).toString('hex')}`;
    const client = new Client({ connection: await Connection.connect({ address }) });
    closers.push(() => client.connection.close());
    // No poll or audit while a backlog is delivered: the drain starts with the one notify the bench sends.
    const timers = { fallbackPollMs: 3_600_000, watchRenewMs: 86_400_000, maxBackoffMs: 10_000, driftAuditMs: 86_400_000, sendSettleMs: 60_000, idlePollMs: 0 };
    const pacing = pacingFromConfig({ quota: { gmailUnitsPerMinute: limits.gmailUnitsPerMinute, outlookRequestsPerMinute: limits.graphRequestsPer10Minutes / 10 } });
    const app = await buildApp({
      db, temporal: client, cipher, google, microsoft, taskQueue, timers, pacing, bccDomain: 'bcc.bench.local', messageIdDomain: 'bench.local',
      identity: createMailboxIdentity({ google, microsoft }),
      config: { api: { host: '127.0.0.1', port: 0, keys: [KEY], publicUrl: 'http://127.0.0.1', oauthRedirectOrigins: [] }, temporal: { address, namespace: 'default', taskQueue }, timers, google: { certsUrl: gmail.certsUrl, pushAudience: 'bench', pushServiceAccount: gmail.pushServiceAccount } },
    });
    await app.listen({ host: '127.0.0.1', port: apiPort });
    closers.push(() => app.close());

    const bundle = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: new DefaultLogger('ERROR') });
    const connection = await NativeConnection.connect({ address });
    closers.push(() => connection.close());
    const worker = await createMailsyncWorker({ connection, namespace: 'default', taskQueue, deps, workflowBundle: { code: bundle.code } });
    const running = worker.run();
    closers.push(async () => {
      worker.shutdown();
      await running;
    });
    return { db, app, client, gmail, graph, relay, close };
  } catch (err) {
    await close();
    throw err;
  }
}

export async function quotaApi(stack: QuotaStack, method: 'POST' | 'PUT', url: string, body: unknown): Promise<{ id: string; accountId: string; workflowId: string }> {
  const res = await stack.app.inject({ method, url, headers: { authorization: `Bearer ${KEY}` }, payload: body as object });
  if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
  return res.json();
}
