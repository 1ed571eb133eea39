import { randomBytes } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { buildApp, type App } from '../../src/api/app';
import { systemClock, type ActivityDeps } from '../../src/activities/deps';
import { createTokenCipher, parseKeyring } from '../../src/crypto';
import type { Db } from '../../src/db/client';
import { openScratchDb } from '../scratch-db';
import { createMailboxIdentity } from '../../src/providers/identity';
import { startGmailSandbox, type GmailSandbox } from '@mailsync/provider-sandbox/gmail';
import { findOrBuildTemporalCli } from '../../src/temporal/cli';
import { startDevServer } from '../../src/temporal/dev-server';
import { createMailsyncWorker, WORKFLOWS_PATH } from '../../src/worker';
import type { MailboxTimers } from '../../src/workflows/state';

export interface BenchStack {
  db: Db;
  app: App;
  client: Client;
  sandbox: GmailSandbox;
  deps: ActivityDeps;
  taskQueue: string;
  /** Where the sandbox pushes (the API's Gmail webhook); `sandbox.control.setPushEndpoint(null)` pauses pushes. */
  pushUrl: string;
  /** Starts a worker on the workflow bundle built once at stack start (as production prebuilds it). */
  startWorker(): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

const KEY = 'bench-api-key-0123456789';
let runtimeInstalled = false;

/** The real parts, once: a Temporal dev server (or TEMPORAL_ADDRESS), a fresh database, the Gmail sandbox. */
export async function startBenchStack(log: (line: string) => void, opts: { timers?: Partial<MailboxTimers> } = {}): Promise<BenchStack> {
  if (!runtimeInstalled) Runtime.install({ logger: new DefaultLogger('ERROR') });
  runtimeInstalled = true;
  const closers: (() => Promise<unknown>)[] = [];
  let address = process.env.TEMPORAL_ADDRESS;
  if (!address) {
    const server = await startDevServer({ cliPath: findOrBuildTemporalCli(process.env, log), headless: true, log });
    closers.push(server.stop);
    address = server.address;
  }
  const scratch = await openScratchDb('mailsync_bench', { max: 20 });
  closers.unshift(scratch.close);
  const { db } = scratch;
  const sandbox = await startGmailSandbox({ quotaUnitsPerMinute: 10_000_000, concurrentRequestLimit: 1000, pushMinIntervalMs: 50 });
  closers.push(() => sandbox.close());
  const google = { clientId: sandbox.clientId, clientSecret: sandbox.clientSecret, apiRoot: sandbox.url, tokenUrl: sandbox.tokenUrl, authUrl: sandbox.authUrl, pubsubTopic: 'projects/bench/topics/gmail' };
  const cipher = createTokenCipher(parseKeyring(`bench:${randomBytes(32).toString('base64')}`));
  const deps: ActivityDeps = { db, cipher, google, clock: systemClock };
  const taskQueue = `bench-${randomBytes(4).toString('hex')}`;
  const client = new Client({ connection: await Connection.connect({ address }) });
  const timers = { fallbackPollMs: 60_000, watchRenewMs: 86_400_000, maxBackoffMs: 10_000, driftAuditMs: 86_400_000, sendSettleMs: 60_000, idlePollMs: 0, ...opts.timers };
  const app = await buildApp({
    db, temporal: client, cipher, google, taskQueue, timers, bccDomain: 'bcc.bench.local', messageIdDomain: 'bench.local',
    identity: createMailboxIdentity({ google }),
    pacing: { gmail: { unitsPerMinute: 10_000_000, share: 0.9 } },
    config: { api: { host: '127.0.0.1', port: 0, keys: [KEY], publicUrl: 'http://127.0.0.1', oauthRedirectOrigins: [] }, temporal: { address, namespace: 'default', taskQueue }, timers, google: { certsUrl: sandbox.certsUrl, pushAudience: 'bench', pushServiceAccount: sandbox.pushServiceAccount } },
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const port = (app.server.address() as { port: number }).port;
  sandbox.control.setPushEndpoint(`http://127.0.0.1:${port}/webhooks/gmail`, 'bench');

  closers.unshift(() => app.close());
  const nativeAddress = address;
  // Bundled once, before anything is timed: a worker start then costs what a production start costs.
  const bundle = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: new DefaultLogger('ERROR') });
  const pushUrl = `http://127.0.0.1:${port}/webhooks/gmail`;
  return {
    db, app, client, sandbox, deps, taskQueue, pushUrl,
    async startWorker() {
      const connection = await NativeConnection.connect({ address: nativeAddress });
      const worker = await createMailsyncWorker({ connection, namespace: 'default', taskQueue, deps, workflowBundle: { code: bundle.code } });
      const running = worker.run();
      await new Promise((r) => setTimeout(r, 200));
      return async () => {
        worker.shutdown();
        await running;
        await connection.close();
      };
    },
    async close() {
      for (const close of closers) await close();
      await client.connection.close();
    },
  };
}

export async function api(stack: BenchStack, method: 'GET' | 'POST' | 'PUT', url: string, body?: unknown): Promise<{ id: string; accountId: string; workflowId: string }> {
  const res = await stack.app.inject({ method, url, headers: { authorization: `Bearer ${KEY}` }, ...(body ? { payload: body as object } : {}) });
  if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
  return res.json();
}
