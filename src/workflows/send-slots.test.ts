import { describe, expect, it } from 'vitest';
import { checkSendQuota } from '../rules/send-quota';
import { releaseSendSlot, slotTimes, takeSendSlot, upgradeSendState } from './send-slots';
import { initialState } from './state';

const AT = '2026-11-29T10:00:00.000Z';

describe('R16 send slots', () => {
  it('sends in one instant hold one slot each, and a failure gives back only its own', () => {
    let slots = takeSendSlot([], 'm1', AT);
    slots = takeSendSlot(slots, 'm2', AT);
    slots = takeSendSlot(slots, 'm3', AT);
    expect(checkSendQuota({ sentAt: slotTimes(slots), limit: 3, now: AT }).ok).toBe(false);
    slots = releaseSendSlot(slots, 'm2');
    expect(slots).toStrictEqual([{ messageId: 'm1', at: AT }, { messageId: 'm3', at: AT }]);
    expect(checkSendQuota({ sentAt: slotTimes(slots), limit: 3, now: AT }).ok).toBe(true);
  });

  it('slots older than 24 hours leave the window; a re-driven send keeps one slot', () => {
    const old = '2026-11-28T09:00:00.000Z';
    const slots = takeSendSlot(takeSendSlot([{ messageId: 'm0', at: old }], 'm1', AT), 'm1', AT);
    expect(slots).toStrictEqual([{ messageId: 'm1', at: AT }]);
  });

  it('state from a run that kept bare send times is read into slots', () => {
    const state = initialState({ accountId: 'a', provider: 'gmail', address: 'a@x.test', sendLimit: 500 }) as Partial<ReturnType<typeof initialState>> & Record<string, unknown>;
    delete state.sendSlots;
    delete state.sendsInDoubt;
    state.sendTimes = [AT, AT];
    upgradeSendState(state as ReturnType<typeof initialState>);
    expect(state.sendSlots).toStrictEqual([{ messageId: 'earlier-run-0', at: AT }, { messageId: 'earlier-run-1', at: AT }]);
    expect(state.sendsInDoubt).toStrictEqual([]);
    expect('sendTimes' in state).toBe(false);
  });
});
