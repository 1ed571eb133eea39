/**
 * `npm run build:check`: the compiled entry points run. After `npm run build`, against a Temporal dev
 * server and a scratch database of its own: `node dist/db/migrate-cli.js` applies the migrations,
 * `node dist/server.js` answers `/readyz` 200, `node dist/worker.js` polls on the prebuilt workflow
 * bundle, and both stop on SIGTERM. Exit 1 naming the step that failed. CI runs it after the build.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { findOrBuildTemporalCli } from '../src/temporal/cli';
import { freePort, startDevServer } from '../src/temporal/dev-server';
import { createScratchDatabase, type ScratchDatabase } from './scratch-db';

const root = path.resolve(__dirname, '..');
const log = (line: string) => process.stdout.write(`[build:check] ${line}\n`);
/** Resolves with the child's output once `ready` matches it; rejects when the child exits first or time runs out. */
function waitFor(child: ChildProcess, name: string, ready: (output: string) => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + timeoutMs;
    const onExit = (code: number | null) => reject(new Error(`${name} exited (${code}) before it was ready:\n${output.slice(-2000)}`));
    child.once('exit', onExit);
    const tick = async () => {
      if (await Promise.resolve(output).then(ready).catch(() => false)) {
        child.off('exit', onExit);
        return resolve();
      }
      if (Date.now() > deadline) return reject(new Error(`${name} not ready after ${timeoutMs / 1000} s:\n${output.slice(-2000)}`));
      setTimeout(() => void tick(), 250);
    };
    void tick();
  });
}

function stop(child: ChildProcess, name: string, timeoutMs = 40_000): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${name} did not stop within ${timeoutMs / 1000} s of SIGTERM`));
    }, timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
    child.kill('SIGTERM');
  });
}

async function main(): Promise<void> {
  for (const file of ['dist/server.js', 'dist/worker.js', 'dist/db/migrate-cli.js', 'dist/workflow-bundle.js']) {
    if (!existsSync(path.join(root, file))) throw new Error(`${file} is missing: run npm run build first`);
  }
  const temporal = await startDevServer({ cliPath: findOrBuildTemporalCli(process.env, log), headless: true, log });
  const children: ChildProcess[] = [];
  let scratch: ScratchDatabase | null = null;
  try {
    scratch = await createScratchDatabase('mailsync_build_check');
    const apiPort = await freePort();
    const env = {
      ...process.env,
      DATABASE_URL: scratch.url,
      TEMPORAL_ADDRESS: temporal.address,
      TEMPORAL_TASK_QUEUE: `build-check-${process.pid}`,
      API_HOST: '127.0.0.1',
      API_PORT: String(apiPort),
      MAILSYNC_API_KEYS: 'build-check-key-0123456789abcdef',
      MAILSYNC_ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
      MAILSYNC_WORKER_METRICS_PORT: 'off',
      MAILSYNC_TEMPORAL_METRICS_PORT: 'off',
    };
    const migrate = spawnSync(process.execPath, ['dist/db/migrate-cli.js'], { cwd: root, env, encoding: 'utf8' });
    if (migrate.status !== 0) throw new Error(`node dist/db/migrate-cli.js exited ${migrate.status}: ${migrate.stderr}`);
    log(`node dist/db/migrate-cli.js: ${migrate.stdout.trim().slice(0, 200)}`);

    const api = spawn(process.execPath, ['dist/server.js'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(api);
    await waitFor(api, 'node dist/server.js', async () => (await fetch(`http://127.0.0.1:${apiPort}/readyz`)).status === 200, 60_000);
    log(`node dist/server.js: /readyz 200 on port ${apiPort}`);

    const worker = spawn(process.execPath, ['dist/worker.js'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(worker);
    await waitFor(worker, 'node dist/worker.js', (out) => out.includes('"msg":"worker polling"'), 120_000);
    log('node dist/worker.js: polling on the prebuilt workflow bundle');

    log(`worker stopped on SIGTERM (exit ${await stop(worker, 'node dist/worker.js')}), API stopped (exit ${await stop(api, 'node dist/server.js')})`);
  } finally {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    await temporal.stop();
    await scratch?.drop().catch(() => undefined);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`build:check: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
