import path from 'node:path';
import type { Cleanup } from '../cleanup';
import type { RssSampler } from '../rss';
import { spawnChild, type Child } from './spawn';
import { Supervisor, type Crash } from './supervisor';

export interface MailsyncProcesses {
  /** SIGKILL the worker process. */
  killWorker(): Promise<void>;
  /** Start a worker unless one runs (from the warm standby when there is one). */
  startWorker(): Promise<void>;
  workerAlive(): boolean;
  /** Start the API unless it runs (e.g. while the supervisor is still restarting it after a crash). */
  startApi(): Promise<void>;
  /** API and worker processes that exited on their own, so far. */
  crashes: Crash[];
}

interface Options {
  dir: string;
  env: Record<string, string>;
  cleanup: Cleanup;
  rss: RssSampler;
  log: (line: string) => void;
}

/** The API and the worker as supervised child processes, with a warm standby worker; resolves once both run. */
export async function startMailsyncProcesses({ dir, env, cleanup, rss, log }: Options): Promise<MailsyncProcesses> {
  const supervisor = new Supervisor(log);
  const api = apiProcess({ dir, env, cleanup, log }, supervisor);
  const worker = workerProcess({ dir, env, cleanup, rss, log }, supervisor);
  // Added last, so it runs first at the end: stopping the children is not a crash.
  cleanup.add('supervisor', async () => supervisor.stop());
  await Promise.all([api.startApi(), worker.startWorker()]);
  log('API and worker ready');
  return { ...api, ...worker, crashes: supervisor.crashes };
}

/** Runs `fn` calls one after another: a fault, the restore step and the supervisor may all ask at once. */
function serial(fn: () => Promise<void>): () => Promise<void> {
  let chain: Promise<void> = Promise.resolve();
  return () => (chain = chain.catch(() => {}).then(fn));
}

function apiProcess({ dir, env, cleanup }: Omit<Options, 'rss'>, supervisor: Supervisor) {
  let api: Child | null = null;
  const startApi = serial(async () => {
    if (api?.alive()) return;
    const child = await spawnChild({ name: 'api', entry: 'api-main.ts', env, logFile: path.join(dir, 'api.log'), readyLine: 'api ready' });
    cleanup.trackPid(child.pid);
    api = child;
    supervisor.watch('api', child, startApi);
  });
  cleanup.add('api', async () => {
    await api?.stop();
  });
  return { startApi };
}

/** The worker that polls, and a warm standby (modules loaded, not connected) that replaces it in a second after a kill. */
function workerProcess({ dir, env, cleanup, rss, log }: Options, supervisor: Supervisor) {
  let worker: Child | null = null;
  let standby: Promise<Child | null> | null = null;
  const logFile = path.join(dir, 'worker.log');
  const spawnStandby = () =>
    spawnChild({ name: 'worker (standby)', entry: 'worker-main.ts', env: { ...env, CHAOS_STANDBY: '1' }, logFile, readyLine: 'standby ready' }).then(
      (child) => {
        cleanup.trackPid(child.pid);
        return child;
      },
      (err: unknown) => {
        log(`a standby worker did not start: ${(err as Error).message}`);
        return null;
      },
    );
  const startWorker = serial(async () => {
    if (worker?.alive()) return;
    const warm = standby ? await standby : null;
    const next = warm?.alive() ? warm : await spawnStandby();
    if (!next) throw new Error(`no worker process could be started (log: ${logFile})`);
    await next.tell('go', 'worker ready');
    worker = next;
    rss.follow(next.pid);
    standby = spawnStandby();
    supervisor.watch('worker', next, startWorker);
  });
  const killWorker = async () => {
    const current = worker;
    worker = null;
    if (!current) return;
    await current.kill();
    cleanup.untrackPid(current.pid);
  };
  cleanup.add('worker', async () => {
    await worker?.stop();
    await (await standby)?.kill();
  });
  return { startWorker, killWorker, workerAlive: () => worker?.alive() ?? false };
}
