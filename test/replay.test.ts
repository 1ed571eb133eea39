import { Worker } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import { historyCorpora, patchesIn, readHistory, searchAttributeUpserts, type Corpus } from './helpers/history-corpus';

/**
 * Every release's recorded histories, and the current ones, replayed against this code: a change that
 * would break a workflow still open from an earlier release fails here before it is deployed (README,
 * "Versioning").
 */
describe('replay of recorded mailbox histories', () => {
  const corpora = historyCorpora();
  const releases = corpora.filter((c) => c.name !== 'current');

  it('has a corpus recorded from real runs of the previous release', () => {
    expect(releases.length).toBeGreaterThanOrEqual(1);
    expect(releases.at(-1)!.files.length).toBeGreaterThanOrEqual(5);
  });

  it.each(corpora.filter((c) => c.files.length > 0).map((c) => [c.name, c] as [string, Corpus]))(
    'replays every history of %s against the current workflow code without non-determinism',
    async (_name, corpus) => {
      const histories = corpus.files.map((file) => readHistory(corpus, file));
      const failures: string[] = [];
      const results = Worker.runReplayHistories({ workflowBundle: { codePath: process.env.MAILSYNC_TEST_WORKFLOW_BUNDLE! }, replayName: corpus.name }, histories);
      let replayed = 0;
      for await (const result of results) {
        replayed++;
        if (result.error) failures.push(`${result.workflowId}: ${result.error.message}`);
      }
      expect(failures).toEqual([]);
      expect(replayed).toBe(corpus.files.length);
    },
  );

  it('patch backoff-until-attribute: the previous release backed off without it, and replays so; recorded runs since take the new path', () => {
    const backedOff = (history: { events: any[] }) => searchAttributeUpserts(history).some((u) => u.MailboxStatus === 'backing_off');
    const previous = releases.at(-1)!;
    const oldBackoffs = previous.files.map((f) => readHistory(previous, f).history).filter(backedOff);
    expect(oldBackoffs.length).toBeGreaterThanOrEqual(1);
    for (const history of oldBackoffs) {
      expect(patchesIn(history)).not.toContain('backoff-until-attribute');
      expect(searchAttributeUpserts(history).every((u) => !('MailboxBackoffUntil' in u))).toBe(true);
    }
    const current = corpora.at(-1)!;
    const newBackoffs = current.files.map((f) => readHistory(current, f).history).filter((h) => patchesIn(h).includes('backoff-until-attribute') && backedOff(h));
    expect(newBackoffs.length).toBeGreaterThanOrEqual(1);
    for (const history of newBackoffs) {
      const upserts = searchAttributeUpserts(history);
      expect(upserts.find((u) => u.MailboxStatus === 'backing_off')?.MailboxBackoffUntil).toEqual(expect.stringMatching(/^\d{4}-\d\d-\d\dT/));
      expect(upserts.at(-1)?.MailboxBackoffUntil ?? null).toBeNull();
    }
  });
});
