import net from 'node:net';
import { execFileSync, type ChildProcess } from 'node:child_process';
import { Connection } from '@temporalio/client';
import { TypedSearchAttributes } from '@temporalio/common';
import { MAILBOX_SEARCH_ATTRIBUTES } from '../../workflows/search-attributes';
import { findOrBuildTemporalCli } from '../cli';
import { findOrBuildServer } from './build';
import { prepareClusterSchemas, type ClusterDatabase } from './schema';
import { CLUSTER_SERVICES, renderClusterConfig, startService, stopProcess, type ClusterPorts, type ClusterService } from './services';

export interface ClusterOptions {
  db: ClusterDatabase;
  ports: ClusterPorts;
  /** History shards; fixed once the schema exists (see `reset`). */
  shards: number;
  /** Where the rendered config and each service's log go. */
  dir: string;
  namespace?: string;
  /** Days a closed workflow's history is kept. */
  retentionDays?: number;
  reset?: boolean;
  log?: (line: string) => void;
  readyTimeoutMs?: number;
}

export interface Cluster {
  address: string;
  namespace: string;
  dir: string;
  pids(): Record<ClusterService, number | undefined>;
  /** Stops one service (SIGKILL when `kill`) and starts it again; resolves once the frontend answers again. */
  restart(service: ClusterService, opts?: { kill?: boolean; downMs?: number }): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A Temporal cluster on Postgres, built here: server and SQL tool from the Go module proxy (cached),
 * schemas set up with the SQL tool, then frontend, history, matching and worker as separate processes
 * from deploy/temporal-cluster/server.yaml; the namespace and mailsync's search attributes registered.
 */
export async function startCluster(opts: ClusterOptions): Promise<Cluster> {
  const log = opts.log ?? (() => {});
  const namespace = opts.namespace ?? 'default';
  const bins = findOrBuildServer(process.env, log);
  await prepareClusterSchemas(bins.sqlTool, opts.db, { reset: opts.reset ?? false, log });
  const configFile = renderClusterConfig(opts.dir, { db: opts.db, ports: opts.ports, shards: opts.shards });
  const address = `127.0.0.1:${opts.ports.frontend}`;
  const children = new Map<ClusterService, ChildProcess>();
  const start = (service: ClusterService) => children.set(service, startService(bins.server, configFile, service, opts.dir));
  const stopAll = () => Promise.all([...children.values()].map((c) => stopProcess(c))).then(() => undefined);
  try {
    // Each service writes the cluster's metadata record when it starts; four at once on a fresh database
    // race for it and the losers exit ("Failed to apply cluster metadata"). History goes first.
    start('history');
    await waitForPort(opts.ports.history, children, opts.readyTimeoutMs ?? 120_000, opts.dir);
    for (const service of CLUSTER_SERVICES) if (!children.has(service)) start(service);
    await waitForFrontend(address, children, opts.readyTimeoutMs ?? 120_000, opts.dir);
    registerNamespace(address, namespace, opts.retentionDays ?? 3, log);
    await waitForWorkflowsToRun(address, namespace, opts.readyTimeoutMs ?? 120_000);
  } catch (err) {
    await stopAll();
    throw err;
  }
  log(`Temporal cluster on ${address} (namespace ${namespace}, ${opts.shards} history shards; logs in ${opts.dir})`);
  return {
    address,
    namespace,
    dir: opts.dir,
    pids: () => Object.fromEntries(CLUSTER_SERVICES.map((s) => [s, children.get(s)?.pid])) as Record<ClusterService, number | undefined>,
    async restart(service, o = {}) {
      await stopProcess(children.get(service)!, o.kill ? 'SIGKILL' : 'SIGTERM');
      if (o.downMs) await new Promise((r) => setTimeout(r, o.downMs));
      start(service);
      await waitForFrontend(address, children, opts.readyTimeoutMs ?? 120_000, opts.dir);
    },
    stop: stopAll,
  };
}

/** Fails naming the first service that has exited, and its log. */
function assertRunning(children: Map<ClusterService, ChildProcess>, dir: string): void {
  for (const [service, child] of children) {
    if (child.exitCode !== null) throw new Error(`the Temporal ${service} service exited with code ${child.exitCode}; see ${dir}/${service}.log`);
  }
}

/** Resolves once something accepts TCP connections on 127.0.0.1:port; fails when a service exits first. */
async function waitForPort(port: number, children: Map<ClusterService, ChildProcess>, timeoutMs: number, dir: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    assertRunning(children, dir);
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect({ host: '127.0.0.1', port }, () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`nothing listened on 127.0.0.1:${port} within ${timeoutMs} ms; logs in ${dir}`);
}

async function waitForFrontend(address: string, children: Map<ClusterService, ChildProcess>, timeoutMs: number, dir: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    assertRunning(children, dir);
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1000 });
      try {
        await connection.workflowService.getSystemInfo({});
        return;
      } finally {
        await connection.close();
      }
    } catch {
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  throw new Error(`the Temporal frontend did not answer on ${address} within ${timeoutMs} ms; logs in ${dir}`);
}

/** The namespace and mailsync's search attributes, through the Temporal CLI; both steps are safe to repeat. */
function registerNamespace(address: string, namespace: string, retentionDays: number, log: (line: string) => void): void {
  const cli = findOrBuildTemporalCli(process.env, log);
  const run = (args: string[], okIf: RegExp) => {
    try {
      execFileSync(cli, [...args, '--address', address], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, TEMPORAL_VERSION_CHECK_DISABLED: '1' } });
    } catch (err) {
      const text = `${(err as { stderr?: Buffer }).stderr?.toString() ?? ''}${(err as { stdout?: Buffer }).stdout?.toString() ?? ''}`;
      if (!okIf.test(text)) throw new Error(`temporal ${args.slice(0, 3).join(' ')} failed: ${text.slice(0, 2000)}`);
    }
  };
  run(['operator', 'namespace', 'create', '--namespace', namespace, '--retention', `${retentionDays * 24}h`], /already (exists|registered)/i);
  for (const key of MAILBOX_SEARCH_ATTRIBUTES) {
    run(['operator', 'search-attribute', 'create', '--namespace', namespace, '--name', key.name, '--type', TypedSearchAttributes.toMetadataType(key.type)], /already exists/i);
  }
}

/** A new namespace reaches every frontend and history host through their caches: wait until it lists workflows. */
async function waitForWorkflowsToRun(address: string, namespace: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const connection = await Connection.connect({ address });
  try {
    for (;;) {
      try {
        await connection.workflowService.listWorkflowExecutions({ namespace, pageSize: 1 });
        return;
      } catch (err) {
        if (Date.now() > deadline) throw new Error(`namespace ${namespace} was not usable within ${timeoutMs} ms: ${(err as Error).message}`);
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  } finally {
    await connection.close();
  }
}

export { clusterDatabaseFrom } from './schema';
export { freePorts, portsFrom, CLUSTER_SERVICES, type ClusterPorts, type ClusterService } from './services';
