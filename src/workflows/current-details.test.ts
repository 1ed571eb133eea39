import { describe, expect, it } from 'vitest';
import { describeMailbox } from './current-details';
import { initialState } from './state';

const mailbox = () => initialState({ accountId: 'acc_1', provider: 'gmail', address: 'ana@gmail.test', sendLimit: 500 });

describe('the mailbox as the Web UI shows it', () => {
  it('names status, backoff deadline, locations, last sync, next wake, last error and counters', () => {
    const state = mailbox();
    state.status = 'backing_off';
    state.backoffUntil = '2026-11-29T12:00:10.000Z';
    state.bindings.push({ connectionId: 'conn_1', locationId: 'loc-2', userId: 'u', connectedAt: '2026-11-29T11:00:00.000Z' });
    state.lastError = { kind: 'rate_limited', reason: 'Gmail: retry after 10 s', at: '2026-11-29T12:00:00.000Z' };
    const text = describeMailbox(state, '2026-11-29T12:00:10.000Z');
    expect(text).toContain('**gmail** ana@gmail.test — **backing_off** until 2026-11-29T12:00:10.000Z');
    expect(text).toContain('- locations: loc-2');
    expect(text).toContain('- last sync: not yet; next wake: 2026-11-29T12:00:10.000Z');
    expect(text).toContain('- last error: rate_limited at 2026-11-29T12:00:00.000Z: Gmail: retry after 10 s');
    expect(text).toMatch(/- counters: 0 syncs, 0 pages/);
    expect(text).toContain('- push: no watch yet');
    expect(text).toContain('- last page: none yet');
    expect(text).not.toContain('- now:');
    state.pushHealthy = false;
    expect(describeMailbox(state, '2026-11-29T12:00:10.000Z')).toContain('- push: not delivering');
  });

  it('says what the last page did, the drift audit and the sends in doubt', () => {
    const state = mailbox();
    state.lastPage = { at: '2026-11-29T12:00:00.000Z', seen: 100, synced: 3, skipped: 97, unreadable: 1, reconciling: true };
    state.lastAudit = { at: '2026-11-29T06:00:00.000Z', checked: 40, healed: 0 };
    state.nextAuditAt = '2026-11-29T18:00:00.000Z';
    state.sendsInDoubt = [
      { messageId: 'msg_b', connectionId: 'conn_1', retryAt: '2026-11-29T12:05:00.000Z', reason: 'timeout' },
      { messageId: 'msg_a', connectionId: 'conn_1', retryAt: '2026-11-29T12:01:00.000Z', reason: 'timeout' },
    ];
    const text = describeMailbox(state, '2026-11-29T12:01:00.000Z');
    expect(text).toContain('- last page: 100 messages, 3 synced, 97 skipped, 1 unreadable (reconciling) at 2026-11-29T12:00:00.000Z');
    expect(text).toContain('- drift audit: 40 checked, 0 healed at 2026-11-29T06:00:00.000Z; next at 2026-11-29T18:00:00.000Z');
    expect(text).toContain('- sends in doubt: 2 (next look-up at 2026-11-29T12:01:00.000Z: msg_b, msg_a)');
  });

  it('while a sync round runs, says which page it is on instead of a wake time', () => {
    const text = describeMailbox(mailbox(), '', 'sync page 2 of round 7 (push): Gmail history');
    expect(text).toContain('- now: sync page 2 of round 7 (push): Gmail history');
    expect(text).toContain('- last sync: not yet; next wake: after this');
  });
});
