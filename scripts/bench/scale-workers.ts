import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import { WORKFLOWS_PATH } from '../../src/worker';
import type { ScaleStack } from './scale-stack';

export interface WorkerProcess {
  name: string;
  child: ChildProcess;
  /** SIGKILL, as a crashed host would. */
  kill(): Promise<void>;
  /** SIGTERM, and waits for it to exit. */
  stop(): Promise<void>;
}

const START_TIMEOUT_MS = 600_000;

/** Bundles the workflows once into `dir` (as `npm run build` does for production), for every worker process to load. */
export async function writeWorkflowBundle(dir: string): Promise<string> {
  const bundle = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: new DefaultLogger('ERROR') });
  const file = path.join(dir, 'workflow-bundle.js');
  writeFileSync(file, bundle.code);
  return file;
}

/** Starts scale-worker-main.ts as its own process on the stack's task queue; resolves once it polls. Output goes to `<dir>/<name>.log`. */
export async function startWorkerProcess(stack: ScaleStack, opts: { name: string; bundle: string; dir: string }): Promise<WorkerProcess> {
  // BENCH_WORKER_NODE_ARGS: extra node flags for the workers, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` to profile them.
  const nodeArgs = (process.env.BENCH_WORKER_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', path.resolve(__dirname, 'scale-worker-main.ts')], {
    env: {
      ...process.env,
      DATABASE_URL: stack.databaseUrl,
      TEMPORAL_ADDRESS: stack.address,
      TASK_QUEUE: stack.taskQueue,
      ENCRYPTION_KEYS: stack.encryptionKeys,
      GOOGLE_CONFIG: JSON.stringify(stack.google),
      WORKFLOW_BUNDLE: opts.bundle,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out = createWriteStream(path.join(opts.dir, `${opts.name}.log`), { flags: 'a' });
  child.stdout!.pipe(out);
  child.stderr!.pipe(out);
  await new Promise<void>((resolve, reject) => {
    let output = '';
    // Loading the worker (tsx, the SDK's native module, the bundle) takes minutes on a loaded 2-core machine.
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`worker ${opts.name} did not start within ${START_TIMEOUT_MS / 1000} s:\n${output}`));
    }, START_TIMEOUT_MS);
    const onExit = (code: number | null) => {
      clearTimeout(timer);
      reject(new Error(`worker ${opts.name} exited with ${code}:\n${output}`));
    };
    child.once('exit', onExit);
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('worker ready')) {
        clearTimeout(timer);
        child.off('exit', onExit);
        resolve();
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  });
  const exited = () => child.exitCode !== null || child.signalCode !== null;
  const signal = (sig: NodeJS.Signals) =>
    new Promise<void>((resolve) => {
      if (exited()) return resolve();
      child.once('exit', () => resolve());
      child.kill(sig);
    });
  return { name: opts.name, child, kill: () => signal('SIGKILL'), stop: () => signal('SIGTERM') };
}

/** Resident set size of a live process in MiB, from /proc (Linux); null once it has exited. */
export function rssMb(pid: number | undefined): number | null {
  if (!pid) return null;
  try {
    const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : null;
  } catch {
    return null;
  }
}
