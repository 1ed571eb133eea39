import type { FaultSpec } from '../types';

export interface Fault {
  status?: number;
  latencyMs?: number;
  delayResponseMs?: number;
  /** Epoch ms for the "Retry after" text of a 429. */
  retryAt?: number;
}

interface QueuedFault extends Fault {
  account: string;
  method?: string;
  messageId?: string;
  remaining: number;
  retryAfterMs?: number;
  probability?: number;
}

function retryAtOf(spec: FaultSpec): number | undefined {
  if (spec.retryAfter === undefined) return undefined;
  const at = new Date(spec.retryAfter).getTime();
  if (Number.isNaN(at)) throw new Error(`fault retryAfter is not a time: ${String(spec.retryAfter)}`);
  return at;
}

function validate(spec: FaultSpec): number {
  if (spec.probability !== undefined && !(spec.probability > 0 && spec.probability <= 1)) throw new Error('fault probability must be in (0, 1]');
  // A fault with a probability, or on one message, stays armed for every matching call unless a count limits it.
  const remaining = spec.count ?? (spec.probability !== undefined || spec.messageId !== undefined ? Number.POSITIVE_INFINITY : 1);
  if (remaining !== Number.POSITIVE_INFINITY && (!Number.isInteger(remaining) || remaining < 1)) throw new Error('fault count must be a positive integer');
  if (spec.status !== undefined && (!Number.isInteger(spec.status) || spec.status < 400 || spec.status > 599)) throw new Error('fault status must be 4xx or 5xx');
  return remaining;
}

const defined = <T extends object>(obj: T): T => Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined)) as T;

/** Faults wait in the order they were injected; each matching call uses up one. */
export class FaultQueue {
  private queue: QueuedFault[] = [];

  add(spec: FaultSpec): void {
    const remaining = validate(spec);
    this.queue.push(
      defined({
        account: (spec.account ?? spec.address ?? '*').toLowerCase(),
        remaining,
        method: spec.method,
        messageId: spec.messageId,
        status: spec.status,
        latencyMs: spec.latencyMs,
        delayResponseMs: spec.delayResponseMs,
        retryAt: retryAtOf(spec),
        retryAfterMs: spec.retryAfterMs,
        probability: spec.probability,
      }),
    );
  }

  /** `messageId`: the message the call is about, if any. */
  take(account: string, method: string, now = Date.now(), messageId?: string): Fault | null {
    // Faults without a method are for Gmail calls; the token endpoint is only hit when named.
    const methodMatches = (f: QueuedFault) => f.method === method || (!f.method && method !== 'oauth.token');
    const messageMatches = (f: QueuedFault) => f.messageId === undefined || f.messageId === messageId;
    const index = this.queue.findIndex(
      (f) => (f.account === '*' || f.account === account) && methodMatches(f) && messageMatches(f) && (f.probability === undefined || Math.random() < f.probability),
    );
    const fault = this.queue[index];
    if (!fault) return null;
    fault.remaining -= 1;
    if (fault.remaining === 0) this.queue.splice(index, 1);
    const retryAt = fault.retryAt ?? (fault.status === 429 ? now + (fault.retryAfterMs ?? 1000) : undefined);
    return defined({ status: fault.status, latencyMs: fault.latencyMs, delayResponseMs: fault.delayResponseMs, retryAt });
  }

  clear(): void {
    this.queue = [];
  }
}
