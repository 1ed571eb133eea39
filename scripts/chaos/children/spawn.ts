import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import path from 'node:path';

export interface Child {
  name: string;
  pid: number;
  /** SIGKILL: no shutdown hooks, no finally blocks, in-flight activities simply vanish. */
  kill(): Promise<void>;
  /** SIGTERM, then SIGKILL if it has not exited within 10 s. */
  stop(): Promise<void>;
  alive(): boolean;
}

/** Starts `node --import tsx <entry>` with its output appended to a log file; resolves once it prints its ready line. */
export async function spawnChild(opts: { name: string; entry: string; env: Record<string, string>; logFile: string; readyLine: string; readyTimeoutMs?: number }): Promise<Child> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.resolve(__dirname, opts.entry)], {
    env: { ...process.env, ...opts.env, CHAOS_PARENT_PID: String(process.pid) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log = createWriteStream(opts.logFile, { flags: 'a' });
  log.write(`--- ${opts.name} pid ${child.pid} started ${new Date().toISOString()}\n`);
  child.stdout!.pipe(log, { end: false });
  child.stderr!.pipe(log, { end: false });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  void exited.then(() => log.end(`--- ${opts.name} pid ${child.pid} exited ${new Date().toISOString()}\n`));
  await waitForLine(child, opts.readyLine, opts.readyTimeoutMs ?? 90_000, opts.name, opts.logFile);
  const alive = () => child.exitCode === null && child.signalCode === null;
  const signal = async (sig: NodeJS.Signals, graceMs: number) => {
    if (!alive()) return;
    child.kill(sig);
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  };
  return { name: opts.name, pid: child.pid!, alive, kill: () => signal('SIGKILL', 0), stop: () => signal('SIGTERM', 10_000) };
}

function waitForLine(child: ChildProcess, line: string, timeoutMs: number, name: string, logFile: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${name} did not print "${line}" within ${timeoutMs} ms (log: ${logFile})`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      seen = (seen + chunk.toString()).slice(-4096);
      if (!seen.includes(line)) return;
      clearTimeout(timer);
      child.stdout!.off('data', onData);
      resolve();
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code, sig) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited (${sig ?? code}) before it was ready (log: ${logFile})`));
    });
  });
}
