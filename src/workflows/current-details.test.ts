import { describe, expect, it } from 'vitest';
import { describeMailbox } from './current-details';
import { initialState } from './state';

describe('the mailbox as the Web UI shows it', () => {
  it('names status, backoff deadline, locations, last sync, next wake, last error and counters', () => {
    const state = initialState({ accountId: 'acc_1', provider: 'gmail', address: 'ana@gmail.test', sendLimit: 500 });
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
    state.pushHealthy = false;
    expect(describeMailbox(state, '2026-11-29T12:00:10.000Z')).toContain('- push: not delivering');
  });
});
