import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import path from 'node:path';

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The suite killed or stopped it (a fault, or the end of the run), as opposed to a crash. */
  intended: boolean;
}

export interface Child {
  name: string;
  pid: number;
  exited: Promise<Exit>;
  /** SIGKILL: no shutdown hooks, no finally blocks, in-flight activities simply vanish. */
  kill(): Promise<void>;
  /** SIGTERM, then SIGKILL if it has not exited within 10 s. */
  stop(): Promise<void>;
  alive(): boolean;
  /** Writes a line to its stdin and waits until it prints `readyLine`. */
  tell(line: string, readyLine: string, timeoutMs?: number): Promise<void>;
}

interface SpawnOptions {
  name: string;
  entry: string;
  env: Record<string, string>;
  logFile: string;
  readyLine: string;
  readyTimeoutMs?: number;
}

/** Starts `node --import tsx <entry>` with its output appended to a log file; resolves once it prints its ready line. */
export async function spawnChild(opts: SpawnOptions): Promise<Child> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.resolve(__dirname, opts.entry)], {
    env: { ...process.env, ...opts.env, CHAOS_PARENT_PID: String(process.pid) },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const log = createWriteStream(opts.logFile, { flags: 'a' });
  log.write(`--- ${opts.name} pid ${child.pid} started ${new Date().toISOString()}\n`);
  child.stdout!.pipe(log, { end: false });
  child.stderr!.pipe(log, { end: false });
  child.stdin!.on('error', () => {});
  let intended = false;
  const exited = new Promise<Exit>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal, intended })));
  void exited.then((e) => log.end(`--- ${opts.name} pid ${child.pid} exited (${e.signal ?? e.code}) ${new Date().toISOString()}\n`));
  const timeoutMs = opts.readyTimeoutMs ?? 90_000;
  await waitForLine(child, opts.readyLine, timeoutMs, opts.name, opts.logFile);
  const alive = () => child.exitCode === null && child.signalCode === null;
  const signal = async (sig: NodeJS.Signals, graceMs: number) => {
    if (!alive()) return;
    intended = true;
    child.kill(sig);
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  };
  return {
    name: opts.name,
    pid: child.pid!,
    exited,
    alive,
    kill: () => signal('SIGKILL', 0),
    stop: () => signal('SIGTERM', 10_000),
    async tell(line, readyLine, ms = timeoutMs) {
      const ready = waitForLine(child, readyLine, ms, opts.name, opts.logFile);
      child.stdin!.write(`${line}\n`);
      await ready;
    },
  };
}

/** Resolves when the child prints `line` from now on; kills it if that does not happen in time. */
function waitForLine(child: ChildProcess, line: string, timeoutMs: number, name: string, logFile: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const done = () => {
      clearTimeout(timer);
      child.stdout!.off('data', onData);
      child.off('exit', onExit);
    };
    const timer = setTimeout(() => {
      done();
      child.kill('SIGKILL');
      reject(new Error(`${name} did not print "${line}" within ${timeoutMs} ms (log: ${logFile})`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      seen = (seen + chunk.toString()).slice(-4096);
      if (!seen.includes(line)) return;
      done();
      resolve();
    };
    const onExit = (code: number | null, sig: NodeJS.Signals | null) => {
      done();
      reject(new Error(`${name} exited (${sig ?? code}) before it printed "${line}" (log: ${logFile})`));
    };
    child.stdout!.on('data', onData);
    child.once('exit', onExit);
  });
}
