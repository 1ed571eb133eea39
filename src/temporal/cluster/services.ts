import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import net from 'node:net';
import type { ClusterDatabase } from './schema';

export const CLUSTER_SERVICES = ['history', 'matching', 'frontend', 'worker'] as const;
export type ClusterService = (typeof CLUSTER_SERVICES)[number];

const TEMPLATE_DIR = path.resolve(__dirname, '../../../deploy/temporal-cluster');

export interface ClusterPorts {
  frontend: number;
  frontendHttp: number;
  history: number;
  matching: number;
  worker: number;
  membership: Record<ClusterService, number>;
  metrics: number;
}

/** The standard layout from a frontend port (7233 → history 7234, matching 7235, worker 7239, membership 6933…). */
export function portsFrom(frontend: number): ClusterPorts {
  return {
    frontend,
    frontendHttp: frontend + 10,
    history: frontend + 1,
    matching: frontend + 2,
    worker: frontend + 6,
    membership: { frontend: frontend - 300, history: frontend - 299, matching: frontend - 298, worker: frontend - 294 },
    metrics: frontend + 767,
  };
}

/** Whether a port can be listened on at 127.0.0.1 now. */
function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * A free port under 32768: the cluster stores its services' ports in `cluster_membership.rpc_port`, a
 * Postgres smallint, and a history service on a system-picked port (32768 and up on Linux) dies at
 * start with "value … is out of range for type smallint".
 */
export async function freeSmallintPort(taken: Set<number>): Promise<number> {
  for (let tries = 0; tries < 1_000; tries++) {
    const port = 20_000 + Math.floor(Math.random() * (32_767 - 20_000));
    if (taken.has(port) || !(await canListen(port))) continue;
    taken.add(port);
    return port;
  }
  throw new Error('no free port between 20000 and 32767 on 127.0.0.1');
}

/** Every port free, picked at random under 32768: for a cluster next to another one (the bench). */
export async function freePorts(): Promise<ClusterPorts> {
  const taken = new Set<number>();
  const p = () => freeSmallintPort(taken);
  return {
    frontend: await p(),
    frontendHttp: await p(),
    history: await p(),
    matching: await p(),
    worker: await p(),
    membership: { frontend: await p(), history: await p(), matching: await p(), worker: await p() },
    metrics: await p(),
  };
}

/** Writes the server config (deploy/temporal-cluster/server.yaml with its values filled in) and the dynamic config into `dir`. */
export function renderClusterConfig(dir: string, opts: { db: ClusterDatabase; ports: ClusterPorts; shards: number }): string {
  mkdirSync(dir, { recursive: true });
  const dynamicConfig = path.join(dir, 'dynamicconfig.yaml');
  writeFileSync(dynamicConfig, readFileSync(path.join(TEMPLATE_DIR, 'dynamicconfig.yaml')));
  const { db, ports } = opts;
  const values: Record<string, string | number> = {
    SHARDS: opts.shards,
    DB_NAME: db.name,
    VISIBILITY_DB_NAME: db.visibilityName,
    DB_HOST: db.host,
    DB_PORT: db.port,
    DB_USER: db.user,
    DB_PASSWORD: db.password,
    METRICS_PORT: ports.metrics,
    FRONTEND_PORT: ports.frontend,
    FRONTEND_HTTP_PORT: ports.frontendHttp,
    FRONTEND_MEMBERSHIP_PORT: ports.membership.frontend,
    HISTORY_PORT: ports.history,
    HISTORY_MEMBERSHIP_PORT: ports.membership.history,
    MATCHING_PORT: ports.matching,
    MATCHING_MEMBERSHIP_PORT: ports.membership.matching,
    WORKER_PORT: ports.worker,
    WORKER_MEMBERSHIP_PORT: ports.membership.worker,
    DYNAMIC_CONFIG: dynamicConfig,
  };
  const rendered = readFileSync(path.join(TEMPLATE_DIR, 'server.yaml'), 'utf8').replace(/\{\{([A-Z_]+)\}\}/g, (_, key: string) => {
    if (!(key in values)) throw new Error(`deploy/temporal-cluster/server.yaml names {{${key}}}, which has no value`);
    return String(values[key]);
  });
  const file = path.join(dir, 'server.yaml');
  writeFileSync(file, rendered);
  return file;
}

/** One service as its own process; its output goes to `<dir>/<service>.log`. */
export function startService(serverBin: string, configFile: string, service: ClusterService, dir: string): ChildProcess {
  const child = spawn(serverBin, ['--config-file', configFile, '--allow-no-auth', 'start', '--service', service], {
    env: { ...process.env, TEMPORAL_VERSION_CHECK_DISABLED: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out = createWriteStream(path.join(dir, `${service}.log`), { flags: 'a' });
  child.stdout?.pipe(out);
  child.stderr?.pipe(out);
  return child;
}

export function stopProcess(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill(signal);
  });
}
