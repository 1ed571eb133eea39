import { mailboxWorkflowId } from '../../src/workflows/state';
import type { ScaleStack } from './scale-stack';

/** One storm delivery whose mailbox got no other mail in the storm: its stages can be told apart in the history. */
export interface LoneDelivery {
  accountId: string;
  deliveredAt: number;
  storedAt: number;
}

export interface LatencyBreakdown {
  sampled: number;
  /** Delivered into the sandbox → the workflow's `notify` signal (sandbox push, API, Temporal). */
  toSignalMs: { p50: number; p99: number };
  /** Signal → the page activity started on a worker (workflow task, schedule, activity queue). */
  toPageStartMs: { p50: number; p99: number };
  /** Page started → the message's row (provider reads, decide, Postgres). */
  toStoredMs: { p50: number; p99: number };
}

const ms = (t: { seconds?: unknown; nanos?: number | null } | null | undefined) => Number(t?.seconds ?? 0) * 1000 + Math.floor((t?.nanos ?? 0) / 1e6);
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};

/**
 * Where the time of a lone delivery went, from the mailbox's history: the first `notify` signal after the
 * delivery, and the first page activity started after that signal. Samples up to `sample` deliveries.
 */
export async function latencyBreakdown(stack: ScaleStack, deliveries: LoneDelivery[], sample = 100): Promise<LatencyBreakdown> {
  const step = Math.max(1, Math.floor(deliveries.length / sample));
  const picked = deliveries.filter((_, i) => i % step === 0).slice(0, sample);
  const toSignal: number[] = [];
  const toStart: number[] = [];
  const toStored: number[] = [];
  for (const d of picked) {
    const history = await stack.client.workflow.getHandle(mailboxWorkflowId('gmail', d.accountId)).fetchHistory();
    const events = history.events ?? [];
    const signal = events.find((e) => e.workflowExecutionSignaledEventAttributes?.signalName === 'notify' && ms(e.eventTime) >= d.deliveredAt - 1_000);
    if (!signal) continue;
    const signaledAt = ms(signal.eventTime);
    const started = events.find((e) => e.activityTaskStartedEventAttributes && ms(e.eventTime) >= signaledAt);
    toSignal.push(Math.max(0, signaledAt - d.deliveredAt));
    if (started) {
      toStart.push(Math.max(0, ms(started.eventTime) - signaledAt));
      toStored.push(Math.max(0, d.storedAt - ms(started.eventTime)));
    }
  }
  const both = (xs: number[]) => ({ p50: Math.round(pct(xs, 50)), p99: Math.round(pct(xs, 99)) });
  return { sampled: toSignal.length, toSignalMs: both(toSignal), toPageStartMs: both(toStart), toStoredMs: both(toStored) };
}
