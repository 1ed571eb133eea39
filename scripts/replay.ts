/**
 * Replays one mailbox workflow's history against this code:
 * `npm run replay -- --workflow-id mailbox/gmail/acct_x [--run-id R]` fetches it from `TEMPORAL_ADDRESS`;
 * `npm run replay -- --file history.json` reads what `temporal workflow show --output json` wrote (for a
 * cluster reached with TLS or an API key, which the Temporal CLI handles).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { Worker } from '@temporalio/worker';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function fetchLive(workflowId: string): Promise<unknown> {
  const connection = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233' });
  try {
    const client = new Client({ connection, namespace: process.env.TEMPORAL_NAMESPACE ?? 'default' });
    return await client.workflow.getHandle(workflowId, arg('run-id')).fetchHistory();
  } finally {
    await connection.close();
  }
}

async function main(): Promise<void> {
  const file = arg('file');
  const workflowId = arg('workflow-id') ?? (file ? path.basename(file, '.json') : undefined);
  if (!workflowId) throw new Error('usage: npm run replay -- --workflow-id <id> [--run-id <run>] | --file <history.json>');
  const history = (file ? JSON.parse(readFileSync(file, 'utf8')) : await fetchLive(workflowId)) as { events?: unknown[] };
  await Worker.runReplayHistory({ workflowsPath: path.resolve(__dirname, '../src/workflows/index.ts') }, history, workflowId);
  process.stdout.write(`replayed ${history.events?.length ?? 0} events of ${workflowId}: deterministic\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`replay: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
