import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const TEMPORAL_SERVER_VERSION = 'v1.31.2';
const MODULES = [`go.temporal.io/server/cmd/server@${TEMPORAL_SERVER_VERSION}`, `go.temporal.io/server/cmd/tools/sql@${TEMPORAL_SERVER_VERSION}`];

export interface ServerBinaries {
  /** The multi-service server (`server start --service …`). */
  server: string;
  /** The SQL schema tool (Temporal's `temporal-sql-tool`). */
  sqlTool: string;
}

/** Cached outside the checkout, beside the CLI build, so every run on the machine reuses it. */
export function serverCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.MAILSYNC_CACHE_DIR ?? path.join(os.homedir(), '.cache', 'mailsync');
  return path.join(base, 'temporal-server', TEMPORAL_SERVER_VERSION);
}

function binaries(dir: string): ServerBinaries {
  return { server: path.join(dir, 'server'), sqlTool: path.join(dir, 'sql') };
}

/**
 * The Temporal server and its SQL tool, built once from the Go module proxy (neither module has a
 * `replace` directive at this tag) into the cache; throws with go's output on failure.
 */
export function findOrBuildServer(env: NodeJS.ProcessEnv = process.env, log: (line: string) => void = () => {}): ServerBinaries {
  const dir = serverCacheDir(env);
  const found = binaries(dir);
  if (existsSync(found.server) && existsSync(found.sqlTool)) return found;
  if (spawnSync('sh', ['-c', 'command -v go']).status !== 0) throw new Error('cannot build the Temporal server: `go` is not on PATH (install Go >= 1.25)');
  mkdirSync(dir, { recursive: true });
  log(`building the Temporal server ${TEMPORAL_SERVER_VERSION}: go install ${MODULES.join(' ')} (cached in ${dir}; takes several minutes once)`);
  try {
    execFileSync('go', ['install', ...MODULES], { env: { ...env, GOBIN: dir, GOFLAGS: '-mod=mod' }, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
  } catch (err) {
    const stderr = (err as { stderr?: Buffer }).stderr?.toString() ?? String(err);
    throw new Error(`go install of the Temporal server failed:\n${stderr.slice(-4000)}`);
  }
  return found;
}
