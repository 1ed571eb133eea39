import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const TEMPORAL_CLI_VERSION = 'v1.5.1';
const CLI_MODULE = `github.com/temporalio/cli/cmd/temporal@${TEMPORAL_CLI_VERSION}`;

/** Cached outside the checkout so CI runs on the same machine reuse the build. */
export function cliCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.MAILSYNC_CACHE_DIR ?? path.join(os.homedir(), '.cache', 'mailsync');
  return path.join(base, 'temporal-cli', TEMPORAL_CLI_VERSION);
}

export type CliSource = 'TEMPORAL_CLI_PATH' | 'PATH' | 'cache' | 'built';

function onPath(name: string): string | null {
  const found = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
  const value = found.stdout.trim();
  return found.status === 0 && value ? value : null;
}

/**
 * Finds the Temporal CLI: TEMPORAL_CLI_PATH, then `temporal` on PATH, then the project's cached build.
 * Returns null when none exists (the caller may build it, or fall back to the SDK's download).
 */
export function findTemporalCli(env: NodeJS.ProcessEnv = process.env): { path: string; source: CliSource } | null {
  if (env.TEMPORAL_CLI_PATH) {
    if (!existsSync(env.TEMPORAL_CLI_PATH)) throw new Error(`TEMPORAL_CLI_PATH points at a missing file: ${env.TEMPORAL_CLI_PATH}`);
    return { path: env.TEMPORAL_CLI_PATH, source: 'TEMPORAL_CLI_PATH' };
  }
  const fromPath = onPath('temporal');
  if (fromPath) return { path: fromPath, source: 'PATH' };
  const cached = path.join(cliCacheDir(env), 'temporal');
  if (existsSync(cached)) return { path: cached, source: 'cache' };
  return null;
}

/** Builds the official CLI from the Go module proxy into the cache; throws with go's output on failure. */
export function buildTemporalCli(env: NodeJS.ProcessEnv = process.env, log: (line: string) => void = () => {}): string {
  if (!onPath('go')) throw new Error('cannot build the Temporal CLI: `go` is not on PATH (install Go >= 1.25)');
  const dir = cliCacheDir(env);
  mkdirSync(dir, { recursive: true });
  log(`building the Temporal CLI: go install ${CLI_MODULE} (cached in ${dir}; takes a few minutes once)`);
  try {
    execFileSync('go', ['install', CLI_MODULE], {
      env: { ...env, GOBIN: dir, GOFLAGS: '-mod=mod' },
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (err) {
    const stderr = (err as { stderr?: Buffer }).stderr?.toString() ?? String(err);
    throw new Error(`go install ${CLI_MODULE} failed:\n${stderr.slice(-4000)}`);
  }
  return path.join(dir, 'temporal');
}

export function findOrBuildTemporalCli(env: NodeJS.ProcessEnv = process.env, log?: (line: string) => void): string {
  return findTemporalCli(env)?.path ?? buildTemporalCli(env, log);
}
