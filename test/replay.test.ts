import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Worker } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import { HISTORIES_DIR } from './helpers/record-histories';

describe('replay of recorded mailbox histories', () => {
  const files = readdirSync(HISTORIES_DIR).filter((f) => f.endsWith('.json')).sort();

  it('has a corpus recorded from real runs', () => {
    expect(files.length).toBeGreaterThanOrEqual(5);
  });

  it('replays every recorded history against the current workflow code without non-determinism', async () => {
    const histories = files.map((file) => ({ workflowId: file.replace(/\.json$/, ''), history: JSON.parse(readFileSync(path.join(HISTORIES_DIR, file), 'utf8')) }));
    const failures: string[] = [];
    const results = Worker.runReplayHistories({ workflowBundle: { codePath: process.env.MAILSYNC_TEST_WORKFLOW_BUNDLE! }, replayName: 'corpus' }, histories);
    let replayed = 0;
    for await (const result of results) {
      replayed++;
      if (result.error) failures.push(`${result.workflowId}: ${result.error.message}`);
    }
    expect(failures).toEqual([]);
    expect(replayed).toBe(files.length);
  });
});
