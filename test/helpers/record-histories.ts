import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';

export const HISTORIES_DIR = path.resolve(__dirname, '../histories');

/**
 * With MAILSYNC_RECORD_HISTORIES=1 (`npm run histories:record`), every workflow a test ran on its task
 * queue is written to test/histories/ for the replay test.
 */
export async function recordHistories(client: Client, taskQueue: string, label: string): Promise<void> {
  if (process.env.MAILSYNC_RECORD_HISTORIES !== '1') return;
  mkdirSync(HISTORIES_DIR, { recursive: true });
  let n = 0;
  for await (const wf of client.workflow.list({ query: `TaskQueue = "${taskQueue}"` })) {
    const history = await client.workflow.getHandle(wf.workflowId, wf.runId).fetchHistory();
    const file = path.join(HISTORIES_DIR, `${label}-${String(++n).padStart(2, '0')}.json`);
    writeFileSync(file, historyToJSON(history));
  }
}
