/**
 * `npm run cluster`: a real multi-service Temporal cluster on the local Postgres. Builds the server and
 * its SQL tool once from the Go module proxy (cached under ~/.cache/mailsync), sets up the `temporal`
 * and `temporal_visibility` schemas, starts frontend, history, matching and worker as separate
 * processes from deploy/temporal-cluster/server.yaml, and registers the namespace and mailsync's
 * search attributes. Runs until Ctrl-C; then point mailsync at it with TEMPORAL_ADDRESS.
 *
 *   npm run cluster -- [--shards 4] [--port 7233] [--db postgres://postgres@127.0.0.1:5432/postgres] [--reset] [--build-only] [--dir DIR]
 */
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { clusterDatabaseFrom, portsFrom, startCluster } from '../src/temporal/cluster';
import { findOrBuildServer } from '../src/temporal/cluster/build';

const USAGE = 'usage: npm run cluster -- [--shards N] [--port FRONTEND_PORT] [--db POSTGRES_URL] [--reset] [--build-only] [--dir DIR]';
const log = (line: string) => process.stdout.write(`[cluster] ${line}\n`);

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        shards: { type: 'string', default: '4' },
        port: { type: 'string', default: '7233' },
        db: { type: 'string', default: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres' },
        dir: { type: 'string', default: path.join(os.homedir(), '.cache', 'mailsync', 'cluster-run') },
        reset: { type: 'boolean', default: false },
        'build-only': { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
    }));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n${USAGE}\n`);
    return 64;
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const shards = Number(values.shards);
  const port = Number(values.port);
  if (!Number.isInteger(shards) || shards < 1) return usage(`--shards must be a whole number ≥ 1, got ${values.shards}`);
  if (!Number.isInteger(port) || port < 1024 || port > 64000) return usage(`--port must be a port between 1024 and 64000, got ${values.port}`);
  const bins = findOrBuildServer(process.env, log);
  if (values['build-only']) {
    log(`built: ${bins.server}, ${bins.sqlTool}`);
    return 0;
  }
  const cluster = await startCluster({ db: clusterDatabaseFrom(values.db), ports: portsFrom(port), shards, dir: values.dir, reset: values.reset, log });
  process.stdout.write(
    [
      '',
      `  Temporal cluster   ${cluster.address}  (namespace ${cluster.namespace}, ${shards} history shards)`,
      `  services           ${Object.entries(cluster.pids()).map(([s, pid]) => `${s} pid ${pid}`).join(', ')}`,
      `  logs               ${cluster.dir}/<service>.log`,
      '',
      `  run mailsync on it: TEMPORAL_ADDRESS=${cluster.address} npm run dev`,
      `  more workers:       npm run build, then TEMPORAL_ADDRESS=${cluster.address} DATABASE_URL=… npm run start:worker`,
      '',
      '  Ctrl-C stops the cluster (its data stays in Postgres; --reset starts empty).',
      '',
    ].join('\n'),
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  log('stopping');
  await cluster.stop();
  return 0;
}

function usage(message: string): number {
  process.stderr.write(`${message}\n${USAGE}\n`);
  return 64;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  },
);
