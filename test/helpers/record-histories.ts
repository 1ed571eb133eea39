import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { findOrBuildTemporalCli } from '../../src/temporal/cli';
import { HISTORIES_DIR } from './history-corpus';

/**
 * With MAILSYNC_RECORD_HISTORIES=1 (`npm run histories:record`), every workflow a test ran on its task
 * queue is written to test/histories/ (the current corpus) for the replay test, as `temporal workflow show --output json` writes it.
 */
export async function recordHistories(client: Client, taskQueue: string, label: string): Promise<void> {
  if (process.env.MAILSYNC_RECORD_HISTORIES !== '1') return;
  mkdirSync(HISTORIES_DIR, { recursive: true });
  const cli = findOrBuildTemporalCli();
  let n = 0;
  for await (const wf of client.workflow.list({ query: `TaskQueue = "${taskQueue}"` })) {
    const json = execFileSync(cli, ['workflow', 'show', '--address', process.env.TEMPORAL_ADDRESS!, '--workflow-id', wf.workflowId, '--run-id', wf.runId, '--output', 'json'], {
      maxBuffer: 256 * 1024 * 1024,
    });
    writeFileSync(path.join(HISTORIES_DIR, `${label}-${String(++n).padStart(2, '0')}.json`), json);
  }
}
