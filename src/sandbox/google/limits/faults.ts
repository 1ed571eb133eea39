import type { GmailMethod } from './quota';

export type FaultStatus = 403 | 429 | 500 | 502 | 503 | 504;

export interface FaultSpec {
  /** Sandbox address; omitted means every account. */
  account?: string;
  /** Only calls of this method; omitted means any Gmail API call. */
  method?: GmailMethod;
  /** How many matching calls the fault applies to (default 1). */
  count?: number;
  /** Answer with this status instead of serving the call. */
  status?: FaultStatus;
  /** Delay before answering (or serving), holding a concurrency slot like a slow backend would. */
  latencyMs?: number;
  /** For 403/429: the "Retry after" time in the message, this far from now (default 1000). */
  retryAfterMs?: number;
}

interface PendingFault extends FaultSpec {
  id: number;
  remaining: number;
}

/** Faults queued by the control API; the first matching fault is used and counted down. */
export class FaultQueue {
  private faults: PendingFault[] = [];
  private nextId = 1;

  add(spec: FaultSpec): number {
    const count = spec.count ?? 1;
    if (!Number.isInteger(count) || count < 1) throw new RangeError('fault count must be a positive integer');
    const id = this.nextId++;
    this.faults.push({ ...spec, account: spec.account?.toLowerCase(), id, remaining: count });
    return id;
  }

  take(address: string, method: GmailMethod): FaultSpec | undefined {
    const fault = this.faults.find((f) => (!f.account || f.account === address) && (!f.method || f.method === method));
    if (!fault) return undefined;
    fault.remaining--;
    if (fault.remaining === 0) this.faults = this.faults.filter((f) => f !== fault);
    return fault;
  }

  pending(): { id: number; remaining: number; spec: FaultSpec }[] {
    return this.faults.map(({ id, remaining, ...spec }) => ({ id, remaining, spec }));
  }

  clear(): void {
    this.faults = [];
  }
}
