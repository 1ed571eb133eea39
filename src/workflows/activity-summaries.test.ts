import { describe, expect, it } from 'vitest';
import { driftAuditSummary, flagsSummary, needsReauthSummary, sendOutcomeSummary, sendSummary, statusSummary, syncPageSummary, watchSummary } from './activity-summaries';

describe('activity summaries in the Web UI', () => {
  it('a sync page names its round, page, trigger and what it reads, per provider', () => {
    expect(syncPageSummary({ provider: 'gmail', round: 14, page: 2, trigger: 'push', first: false })).toBe('sync page 2 of round 14 (push): Gmail history from the stored cursor');
    expect(syncPageSummary({ provider: 'outlook', round: 3, page: 1, trigger: 'poll', first: false })).toBe('sync page 1 of round 3 (poll): Graph delta of every folder from the stored cursor');
    expect(syncPageSummary({ provider: 'gmail', round: 1, page: 1, trigger: 'requested', first: true })).toBe(
      'sync page 1 of round 1 (requested): first sync: pin the Gmail history position, then read mail received since connect',
    );
  });

  it('the other activities say what they are for, on one line', () => {
    const all = [
      driftAuditSummary('gmail', 43_200_000),
      watchSummary('gmail', 'renew'),
      watchSummary('outlook', 'stop'),
      sendSummary('msg_1', 'conn_1', false),
      sendSummary('msg_1', 'conn_1', true),
      flagsSummary('msg_2', true),
      flagsSummary('msg_2', false),
      statusSummary('backing_off'),
      needsReauthSummary(),
      sendOutcomeSummary('msg_3', 'failed'),
      sendOutcomeSummary('msg_3', 'unknown'),
    ];
    expect(all).toEqual([
      'drift audit: gmail mail of the last 720 min against what was decided',
      'renew the Gmail push watch',
      'stop the Graph subscription',
      'send msg_1 for connection conn_1',
      'settle send msg_1 (in doubt): look its Message-ID up, send only if the provider lacks it',
      'mark msg_2 read in the mailbox',
      'mark msg_2 unread in the mailbox',
      'record account status: backing_off',
      'record needs_reauth: the provider refused the credentials',
      'mark send msg_3 failed',
      'mark send msg_3 in doubt (unknown)',
    ]);
    for (const line of all) expect(line).not.toMatch(/\n/);
  });
});
