import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { startGmailSandbox, type GmailSandbox } from '@mailsync/provider-sandbox/gmail';
import { buildApp, type App } from '../../src/api/app';
import { createTokenCipher, parseKeyring } from '../../src/crypto';
import type { Db } from '../../src/db/client';
import { openScratchDb } from '../scratch-db';
import { createMailboxIdentity } from '../../src/providers/identity';
import { findOrBuildTemporalCli } from '../../src/temporal/cli';
import { clusterDatabaseFrom, freePorts, startCluster, type Cluster } from '../../src/temporal/cluster';
import { startDevServer } from '../../src/temporal/dev-server';

export type TemporalKind = 'cluster' | 'dev';

/** What the scale bench runs against: Temporal, mailsync's database, the Gmail sandbox and the API (listening, for pushes). */
export interface ScaleStack {
  temporal: TemporalKind;
  address: string;
  /** Set when `temporal` is 'cluster': its services can be restarted. */
  cluster: Cluster | null;
  db: Db;
  databaseUrl: string;
  databaseName: string;
  app: App;
  client: Client;
  sandbox: GmailSandbox;
  taskQueue: string;
  encryptionKeys: string;
  google: { clientId: string; clientSecret: string; apiRoot: string; tokenUrl: string; authUrl: string; pubsubTopic: string };
  close(): Promise<void>;
}

export const SCALE_API_KEY = 'bench-scale-api-key-0123456789';

/**
 * Production timers (5-minute fallback poll while push is not trusted, 6 h idle poll once it is),
 * except a short backoff cap so the mailboxes hit by the history restart come back within the run.
 */
const TIMERS = { fallbackPollMs: 300_000, watchRenewMs: 86_400_000, maxBackoffMs: 10_000, driftAuditMs: 21_600_000, sendSettleMs: 60_000, idlePollMs: 21_600_000 };

/** A dead worker's activity is retried after this long (production: 120 s), so the kill mid-storm shows in the drain time, not as a two-minute stall. */
const ACTIVITY_TIMEOUT_MS = 20_000;

async function startTemporal(kind: TemporalKind, adminUrl: string, shards: number, log: (line: string) => void) {
  if (kind === 'dev') {
    const server = await startDevServer({ cliPath: findOrBuildTemporalCli(process.env, log), headless: true, log });
    return { address: server.address, cluster: null, stop: server.stop };
  }
  // Its own databases and free ports, so a cluster started with `npm run cluster` can run beside it.
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mailsync-scale-cluster-'));
  const cluster = await startCluster({
    db: clusterDatabaseFrom(adminUrl, { name: 'temporal_scale_bench', visibilityName: 'temporal_scale_bench_visibility' }),
    ports: await freePorts(),
    shards,
    dir,
    reset: true,
    log,
  });
  return { address: cluster.address, cluster, stop: cluster.stop };
}

export async function startScaleStack(opts: { temporal: TemporalKind; shards: number; log: (line: string) => void }): Promise<ScaleStack> {
  const closers: (() => Promise<unknown>)[] = [];
  const close = async () => {
    for (const c of closers) await c().catch((err: unknown) => opts.log(`stopping: ${(err as Error).message}`));
  };
  try {
    const adminUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
    const temporal = await startTemporal(opts.temporal, adminUrl, opts.shards, opts.log);
    closers.push(temporal.stop);
    const scratch = await openScratchDb('mailsync_scale', { max: 10 });
    closers.unshift(scratch.close);
    const { db, name: databaseName } = scratch;
    const sandbox = await startGmailSandbox({ quotaUnitsPerMinute: 100_000_000, concurrentRequestLimit: 10_000, pushMinIntervalMs: 50 });
    closers.unshift(() => sandbox.close());
    const google = { clientId: sandbox.clientId, clientSecret: sandbox.clientSecret, apiRoot: sandbox.url, tokenUrl: sandbox.tokenUrl, authUrl: sandbox.authUrl, pubsubTopic: 'projects/bench/topics/gmail' };
    const encryptionKeys = `bench:${randomBytes(32).toString('base64')}`;
    const cipher = createTokenCipher(parseKeyring(encryptionKeys));
    const taskQueue = `scale-${randomBytes(4).toString('hex')}`;
    const client = new Client({ connection: await Connection.connect({ address: temporal.address }) });
    closers.unshift(() => client.connection.close());
    const app = await buildApp({
      db, temporal: client, cipher, google, taskQueue, timers: TIMERS, activityTimeoutMs: ACTIVITY_TIMEOUT_MS,
      bccDomain: 'bcc.bench.local', messageIdDomain: 'bench.local',
      identity: createMailboxIdentity({ google }),
      pacing: { gmail: { unitsPerMinute: 100_000_000, share: 0.9 } },
      config: { api: { host: '127.0.0.1', port: 0, keys: [SCALE_API_KEY], publicUrl: 'http://127.0.0.1', oauthRedirectOrigins: [] }, temporal: { address: temporal.address, namespace: 'default', taskQueue }, timers: TIMERS, google: { certsUrl: sandbox.certsUrl, pushAudience: 'bench', pushServiceAccount: sandbox.pushServiceAccount } },
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    closers.unshift(() => app.close());
    const port = (app.server.address() as { port: number }).port;
    sandbox.control.setPushEndpoint(`http://127.0.0.1:${port}/webhooks/gmail`, 'bench');
    return {
      temporal: opts.temporal, address: temporal.address, cluster: temporal.cluster, db, databaseUrl: scratch.url, databaseName,
      app, client, sandbox, taskQueue, encryptionKeys, google, close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}

/** A scratch directory for the workflow bundle and the workers' logs; removed by the returned function. */
export function scratchDir(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mailsync-scale-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
