import type { Ledger } from './ledger';
import { expectedInbound, rowsByMessageId, sentCopiesOf } from './measure';
import type { ChaosStack } from './stack';
import { TIMERS, WAITS } from './timers';

export interface Quiet {
  waitedMs: number;
  /** The bounded wait ran out; what was missing then is counted as lost. */
  timedOut: boolean;
  /** Stopped because nothing changed for a while with messages still missing. */
  stalled: boolean;
  /** When the counts last changed, and when the last CRM send got its final answer (ms into the wait). */
  lastChangeMs: number;
  sendsSettledMs: number | null;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Waits until the iteration's traffic has settled: every CRM send answered, every expected message
 * stored, no send pending or unknown, and then two fallback polls without a change (a Sent copy synced
 * back twice would show by then). If messages stay missing and nothing changes for WAITS.stallMs (plus
 * the send settle time while a send's fate is unknown) while no mailbox is backing off, the wait ends
 * early; it never exceeds WAITS.quiesceTimeoutMs.
 */
export async function waitForQuiet(stack: ChaosStack, ledger: Ledger): Promise<Quiet> {
  const started = Date.now();
  const deadline = started + WAITS.quiesceTimeoutMs;
  const settle = 2 * TIMERS.fallbackPollMs;
  let unsettled = ledger.sends.length;
  let sendsSettledMs: number | null = unsettled === 0 ? 0 : null;
  void Promise.all(ledger.sends.map((s) => s.settled.then(() => (unsettled -= 1)))).then(() => (sendsSettledMs = Date.now() - started));
  const result = (extra: { timedOut: boolean; stalled: boolean }): Quiet => ({ waitedMs: Date.now() - started, lastChangeMs: since - started, sendsSettledMs, ...extra });
  let last = '';
  let since = Date.now();
  while (Date.now() < deadline) {
    const snap = await snapshot(stack, ledger).catch((err: unknown) => ({ error: (err as Error).message }));
    const key = JSON.stringify({ snap, unsettled });
    if (key !== last) {
      last = key;
      since = Date.now();
    }
    const quietFor = Date.now() - since;
    if ('missing' in snap && unsettled === 0) {
      if (snap.missing === 0 && snap.pending === 0 && quietFor >= settle) return result({ timedOut: false, stalled: false });
      // A send whose fate is unknown settles after MAILSYNC_SEND_SETTLE by itself: give it that long too.
      const stallMs = snap.pending === 0 ? WAITS.stallMs : WAITS.stallMs + TIMERS.sendSettleMs + TIMERS.fallbackPollMs;
      if (quietFor >= stallMs && !(await anyBackingOff(stack, ledger))) return result({ timedOut: false, stalled: true });
    }
    await sleep(500);
  }
  return result({ timedOut: true, stalled: false });
}

async function snapshot(stack: ChaosStack, ledger: Ledger): Promise<{ missing: number; pending: number; rows: number; sent: number }> {
  const rows = await rowsByMessageId(stack, ledger.boxes);
  const copies = await sentCopiesOf(stack, ledger.boxes);
  const expected = await expectedInbound(stack, ledger, copies);
  const missing = expected.filter((r) => !rows.has(`${r.box.locationId} ${r.rfcMessageId}`)).length;
  const locations = ledger.boxes.map((b) => b.locationId);
  const pending = locations.length
    ? (await stack.db.selectFrom('messages').select('id').where('location_id', 'in', locations).where('send_status', 'in', ['pending', 'unknown']).execute()).length
    : 0;
  let total = 0;
  for (const n of rows.values()) total += n;
  let sent = 0;
  for (const m of copies.values()) for (const n of m.values()) sent += n;
  return { missing, pending, rows: total, sent };
}

/** A mailbox waiting out a provider's retry time will move again by itself: not a stall. */
async function anyBackingOff(stack: ChaosStack, ledger: Ledger): Promise<boolean> {
  for (const box of ledger.boxes) {
    const view = await stack.api.call('GET', `/v1/connections/${box.connectionId}`);
    const until = Date.parse(view.body?.sync?.backoffUntil ?? '');
    if (view.body?.sync?.status === 'backing_off' && Number.isFinite(until) && until > Date.now()) return true;
  }
  return false;
}
