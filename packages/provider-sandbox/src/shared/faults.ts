/**
 * Injected faults, one vocabulary for both providers: a fault is keyed by mailbox and operation
 * (a Gmail method such as `messages.get`, a Graph route name such as `messages.delta`; the keys of
 * the counters' `calls`), waits in the order it was injected, and each matching call uses up one.
 */

export interface FaultSpec {
  /** Address; every mailbox when absent or "*". */
  mailbox?: string;
  /** Only calls of this operation (e.g. `messages.get`, Gmail's `oauth.token`, Graph's `messages.delta`). */
  operation?: string;
  /**
   * Only calls on this message (Gmail id; Graph immutable or default id): a message the provider fails
   * on every time. Such a fault stays armed for every matching call unless a count limits it.
   */
  messageId?: string;
  /** How many calls to affect (default 1; unlimited with a probability or a messageId). */
  count?: number;
  /** Each matching call fails with this chance (0–1): spread faults, as a flaky network does. */
  probability?: number;
  /** Any 4xx or 5xx; absent = only delays. */
  status?: number;
  /** Wait before the call is handled. */
  latencyMs?: number;
  /** Handle the call (a send is accepted), then wait before answering: a response lost in flight. */
  delayResponseMs?: number;
  /** When to retry, as a delay: Gmail's "Retry after" text of a 429 (default 1 s), Graph's Retry-After header (none by default). */
  retryAfterMs?: number;
  /** ...or as a time (ISO text or Date). */
  retryAt?: string | Date;
  /** Graph only: the error code in the body (a default per status). */
  code?: string;
}

/** A fault as it applies to one call. */
export interface Fault {
  status?: number;
  latencyMs?: number;
  delayResponseMs?: number;
  /** Delay until the caller may retry, when the spec named one. */
  retryAfterMs?: number;
  code?: string;
}

interface ArmedFault {
  mailbox: string;
  operation?: string;
  messageId?: string;
  remaining: number;
  probability?: number;
  retryAt?: number;
  fault: Fault;
}

function retryAtOf(spec: FaultSpec): number | undefined {
  if (spec.retryAt === undefined) return undefined;
  const at = new Date(spec.retryAt).getTime();
  if (Number.isNaN(at)) throw new Error(`fault retryAt is not a time: ${String(spec.retryAt)}`);
  return at;
}

function remainingOf(spec: FaultSpec): number {
  if (spec.probability !== undefined && !(spec.probability > 0 && spec.probability <= 1)) throw new Error('fault probability must be in (0, 1]');
  const remaining = spec.count ?? (spec.probability !== undefined || spec.messageId !== undefined ? Number.POSITIVE_INFINITY : 1);
  if (remaining !== Number.POSITIVE_INFINITY && (!Number.isInteger(remaining) || remaining < 1)) throw new Error('fault count must be a positive integer');
  if (spec.status !== undefined && (!Number.isInteger(spec.status) || spec.status < 400 || spec.status > 599)) throw new Error('fault status must be 4xx or 5xx');
  if (spec.retryAfterMs !== undefined && !(spec.retryAfterMs >= 0)) throw new Error('fault retryAfterMs must be a delay in ms');
  return remaining;
}

const defined = <T extends object>(obj: T): T => Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined)) as T;

export class Faults {
  private armed: ArmedFault[] = [];

  /** `namedOnly`: operations a fault reaches only when it names them (Gmail's token endpoint). */
  constructor(private readonly namedOnly: readonly string[] = []) {}

  /** Throws on a spec that makes no sense, before any of a list is armed. */
  add(spec: FaultSpec | FaultSpec[]): void {
    const specs = Array.isArray(spec) ? spec : [spec];
    const ready = specs.map((s) => {
      const remaining = remainingOf(s);
      const retryAt = retryAtOf(s);
      const fault = defined({ status: s.status, latencyMs: s.latencyMs, delayResponseMs: s.delayResponseMs, retryAfterMs: s.retryAfterMs, code: s.code });
      return defined({ mailbox: (s.mailbox ?? '*').toLowerCase(), operation: s.operation, messageId: s.messageId, remaining, probability: s.probability, retryAt, fault });
    });
    this.armed.push(...ready);
  }

  /** The fault for this call, if any, spending one of its uses; `messageIds`: the ids of the message the call is about. */
  take(mailbox: string | null, operation: string, messageIds: readonly string[] = [], now = Date.now()): Fault | null {
    const who = mailbox?.toLowerCase() ?? null;
    const operationMatches = (f: ArmedFault) => (f.operation === undefined ? !this.namedOnly.includes(operation) : f.operation === operation);
    const index = this.armed.findIndex(
      (f) =>
        (f.mailbox === '*' || f.mailbox === who) &&
        operationMatches(f) &&
        (f.messageId === undefined || messageIds.includes(f.messageId)) &&
        (f.probability === undefined || Math.random() < f.probability),
    );
    const hit = this.armed[index];
    if (!hit) return null;
    hit.remaining -= 1;
    if (hit.remaining === 0) this.armed.splice(index, 1);
    return hit.retryAt === undefined ? { ...hit.fault } : { ...hit.fault, retryAfterMs: Math.max(0, hit.retryAt - now) };
  }

  clear(): void {
    this.armed = [];
  }
}
