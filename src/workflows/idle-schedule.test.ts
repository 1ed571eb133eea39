import { describe, expect, it } from 'vitest';
import { dueWithin, idleEnabled, nextPollAt, pollEveryMs, slackMs, trustAfterRound } from './idle-schedule';
import { initialState, type MailboxTimers } from './state';

const HOUR = 3_600_000;
const timers: MailboxTimers = { fallbackPollMs: 300_000, watchRenewMs: 24 * HOUR, maxBackoffMs: 900_000, driftAuditMs: 6 * HOUR, idlePollMs: 6 * HOUR };
const watched = () => ({ ...initialState({ accountId: 'a', provider: 'gmail', address: 'a@gmail.test', sendLimit: 500 }), watchExpiresAt: '2026-12-06T00:00:00.000Z' });

describe('idle wakes', () => {
  it('is on only with the patch and an idle poll longer than the fallback poll', () => {
    expect(idleEnabled(timers, true)).toBe(true);
    expect(idleEnabled(timers, false)).toBe(false);
    expect(idleEnabled({ ...timers, idlePollMs: undefined }, true)).toBe(false);
    expect(idleEnabled({ ...timers, idlePollMs: 300_000 }, true)).toBe(false);
  });

  it('polls hours apart while push is trusted, at the fallback rate before the watch and after push failed', () => {
    const state = watched();
    expect(pollEveryMs(state, timers, true)).toBe(6 * HOUR);
    expect(pollEveryMs({ ...state, watchExpiresAt: null }, timers, true)).toBe(300_000);
    expect(pollEveryMs({ ...state, pushHealthy: false }, timers, true)).toBe(300_000);
    expect(pollEveryMs(state, timers, false)).toBe(300_000);
  });

  it('lets the poll and the audit share a wake within an eighth of the idle poll, and the watch renewal within a whole one', () => {
    const state = watched();
    expect(slackMs('poll', state, timers, true)).toBe(45 * 60_000);
    expect(slackMs('audit', state, timers, true)).toBe(45 * 60_000);
    expect(slackMs('watch', state, timers, true)).toBe(6 * HOUR);
    expect(slackMs('poll', { ...state, pushHealthy: false }, timers, true)).toBe(0);
    expect(slackMs('watch', state, timers, false)).toBe(0);
    const at = '2026-11-29T12:00:00.000Z';
    expect(dueWithin(at, 45 * 60_000, Date.parse('2026-11-29T11:20:00.000Z'))).toBe(true);
    expect(dueWithin(at, 45 * 60_000, Date.parse('2026-11-29T11:10:00.000Z'))).toBe(false);
    expect(dueWithin(at, 0, Date.parse(at))).toBe(true);
    expect(dueWithin(null, HOUR, Date.parse(at))).toBe(false);
  });

  it('stops trusting push when a poll finds mail no push announced, and only then', () => {
    const state = watched();
    expect(trustAfterRound(state, { polled: true, announced: false, seen: 2 })).toBe(false);
    expect(trustAfterRound(state, { polled: true, announced: true, seen: 2 })).toBe(undefined);
    expect(trustAfterRound(state, { polled: true, announced: false, seen: 0 })).toBe(undefined);
    expect(trustAfterRound(state, { polled: false, announced: false, seen: 3 })).toBe(undefined);
    expect(trustAfterRound({ ...state, pushHealthy: true }, { polled: false, announced: true, seen: 3 })).toBe(true);
  });

  it('keeps the poll on the audit\'s wake after a round a push asked for, but not on the audit about to run now', () => {
    const at = Date.parse('2026-11-29T12:00:00.000Z');
    const state = { ...watched(), nextAuditAt: new Date(at + 2 * HOUR).toISOString() };
    expect(nextPollAt(state, timers, true, at)).toBe(at + 2 * HOUR);
    expect(nextPollAt({ ...state, nextAuditAt: new Date(at + 10 * 60_000).toISOString() }, timers, true, at)).toBe(at + 6 * HOUR);
    expect(nextPollAt({ ...state, nextAuditAt: new Date(at + 8 * HOUR).toISOString() }, timers, true, at)).toBe(at + 6 * HOUR);
    expect(nextPollAt({ ...state, pushHealthy: false }, timers, true, at)).toBe(at + 300_000);
    expect(nextPollAt(state, timers, false, at)).toBe(at + 300_000);
  });
});
