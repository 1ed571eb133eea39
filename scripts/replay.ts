/** `npm run replay -- --workflow-id mailbox/gmail/acct_x [--run-id R]`: replays a live workflow's history against this code. */
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { Worker } from '@temporalio/worker';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const workflowId = arg('workflow-id');
  if (!workflowId) throw new Error('usage: npm run replay -- --workflow-id <id> [--run-id <run>]');
  const connection = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233' });
  const client = new Client({ connection, namespace: process.env.TEMPORAL_NAMESPACE ?? 'default' });
  const history = await client.workflow.getHandle(workflowId, arg('run-id')).fetchHistory();
  await Worker.runReplayHistory({ workflowsPath: path.resolve(__dirname, '../src/workflows/index.ts') }, history, workflowId);
  process.stdout.write(`replayed ${history.events?.length ?? 0} events of ${workflowId}: deterministic\n`);
  await connection.close();
}

main().catch((err: unknown) => {
  process.stderr.write(`replay: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
