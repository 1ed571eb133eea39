import { execFileSync } from 'node:child_process';
import pg from 'pg';

export interface ClusterDatabase {
  host: string;
  port: number;
  user: string;
  password: string;
  /** Database names for the default store and for visibility. */
  name: string;
  visibilityName: string;
}

/** Reads host, port, user and password from a Postgres URL; the database names are the cluster's own. */
export function clusterDatabaseFrom(url: string, names = { name: 'temporal', visibilityName: 'temporal_visibility' }): ClusterDatabase {
  const u = new URL(url);
  return { host: u.hostname || '127.0.0.1', port: Number(u.port || 5432), user: decodeURIComponent(u.username || 'postgres'), password: decodeURIComponent(u.password), ...names };
}

/** Embedded schema directories of the server's SQL tool, per store. */
const SCHEMAS = [
  { key: 'name', schemaName: 'postgresql/v12/temporal' },
  { key: 'visibilityName', schemaName: 'postgresql/v12/visibility' },
] as const;

/**
 * Creates the cluster's two databases on Postgres and brings their schemas to the server's version with
 * its own SQL tool (create-database, setup-schema -v 0.0 once, then update-schema: safe to run again).
 * `reset` drops both databases first (needed to change the shard count).
 */
export async function prepareClusterSchemas(sqlTool: string, db: ClusterDatabase, opts: { reset?: boolean; log?: (line: string) => void } = {}): Promise<void> {
  const admin = new pg.Client({ host: db.host, port: db.port, user: db.user, password: db.password, database: 'postgres' });
  await admin.connect();
  try {
    for (const { key, schemaName } of SCHEMAS) {
      const name = db[key];
      if (opts.reset) {
        opts.log?.(`dropping database ${name}`);
        await admin.query(`drop database if exists "${name}" with (force)`);
      }
      const exists = (await admin.query('select 1 from pg_database where datname = $1', [name])).rowCount! > 0;
      const tool = (...args: string[]) => runTool(sqlTool, db, name, args);
      if (!exists) {
        opts.log?.(`creating database ${name} (${schemaName})`);
        tool('create-database');
      }
      if (!(await hasVersionTable(db, name))) tool('setup-schema', '-v', '0.0');
      tool('update-schema', '--schema-name', schemaName);
    }
  } finally {
    await admin.end();
  }
}

async function hasVersionTable(db: ClusterDatabase, name: string): Promise<boolean> {
  const client = new pg.Client({ host: db.host, port: db.port, user: db.user, password: db.password, database: name });
  await client.connect();
  try {
    return (await client.query("select 1 from information_schema.tables where table_name = 'schema_version'")).rowCount! > 0;
  } finally {
    await client.end();
  }
}

function runTool(sqlTool: string, db: ClusterDatabase, name: string, args: string[]): void {
  const base = ['--plugin', 'postgres12', '--ep', db.host, '-p', String(db.port), '-u', db.user, '--db', name];
  if (db.password) base.push('--pw', db.password);
  try {
    execFileSync(sqlTool, [...base, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    const e = err as { stderr?: Buffer; stdout?: Buffer };
    throw new Error(`temporal sql tool ${args[0]} on ${name} failed:\n${(e.stderr?.toString() ?? '') + (e.stdout?.toString() ?? '')}`.slice(0, 4000));
  }
}
