import { sendTimesInWindow } from '../rules/send-quota';
import type { MailboxState, SendSlot } from './state';

/** R16 bookkeeping in workflow state (pure): each send holds its own slot for 24 hours. */
export function takeSendSlot(slots: readonly SendSlot[], messageId: string, at: string): SendSlot[] {
  const live = new Set(sendTimesInWindow(slots.map((s) => s.at), at));
  return [...slots.filter((s) => live.has(s.at) && s.messageId !== messageId), { messageId, at }];
}

/** A send that never reached the provider gives back its own slot, and no other. */
export function releaseSendSlot(slots: readonly SendSlot[], messageId: string): SendSlot[] {
  return slots.filter((s) => s.messageId !== messageId);
}

export const slotTimes = (slots: readonly SendSlot[]): string[] => slots.map((s) => s.at);

/** State carried over from a run that kept bare send times, or that had no doubt list yet. */
export function upgradeSendState(state: MailboxState): void {
  state.sendSlots ??= (state.sendTimes ?? []).map((at, i) => ({ messageId: `earlier-run-${i}`, at }));
  delete state.sendTimes;
  state.sendsInDoubt ??= [];
}
