import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { Connection } from '@temporalio/client';
import { TypedSearchAttributes } from '@temporalio/common';
import { MAILBOX_SEARCH_ATTRIBUTES } from '../workflows/search-attributes';

export interface DevServer {
  address: string;
  uiUrl: string | null;
  /** The server's process id, for callers that must be able to reap it (e.g. the fault suite). */
  pid: number | undefined;
  stop(): Promise<void>;
}

export interface DevServerOptions {
  cliPath: string;
  port?: number;
  uiPort?: number;
  headless?: boolean;
  dbFilename?: string;
  log?: (line: string) => void;
  readyTimeoutMs?: number;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export function searchAttributeArgs(): string[] {
  return MAILBOX_SEARCH_ATTRIBUTES.flatMap((key) => [
    '--search-attribute',
    `${key.name}=${TypedSearchAttributes.toMetadataType(key.type)}`,
  ]);
}

/** Starts `temporal server start-dev` with mailsync's search attributes and waits until it answers. */
export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  const port = options.port ?? (await freePort());
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(port), '--log-level', 'error'];
  args.push(...searchAttributeArgs());
  let uiUrl: string | null = null;
  if (options.headless) args.push('--headless');
  else {
    const uiPort = options.uiPort ?? (await freePort());
    args.push('--ui-port', String(uiPort));
    uiUrl = `http://127.0.0.1:${uiPort}`;
  }
  if (options.dbFilename) args.push('--db-filename', options.dbFilename);
  const child = spawn(options.cliPath, args, {
    env: { ...process.env, TEMPORAL_VERSION_CHECK_DISABLED: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-8000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const address = `127.0.0.1:${port}`;
  try {
    await waitUntilReady(address, child, options.readyTimeoutMs ?? 60_000);
  } catch (err) {
    child.kill('SIGKILL');
    throw new Error(`${(err as Error).message}\n--- temporal output ---\n${output}`);
  }
  options.log?.(`Temporal dev server on ${address}${uiUrl ? `, Web UI ${uiUrl}` : ''}`);
  return { address, uiUrl, pid: child.pid, stop: () => stopChild(child) };
}

async function waitUntilReady(address: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`temporal exited with code ${child.exitCode} before it was ready`);
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1000 });
      await connection.workflowService.getSystemInfo({});
      await connection.close();
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  throw new Error(`Temporal dev server did not answer on ${address} within ${timeoutMs} ms`);
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
