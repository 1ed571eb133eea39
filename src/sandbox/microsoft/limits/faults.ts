import type { FaultSpec } from '../types';

interface ArmedFault {
  spec: FaultSpec;
  remaining: number;
}

/** Faults armed by the control API, consumed by matching requests in arrival order. */
export class FaultBook {
  private faults: ArmedFault[] = [];

  add(spec: FaultSpec): void {
    if (spec.probability !== undefined && !(spec.probability > 0 && spec.probability <= 1)) throw new Error('fault probability must be in (0, 1]');
    // A fault with a probability, or on one message, stays armed for every matching call unless a count limits it.
    const remaining = spec.count ?? (spec.probability !== undefined || spec.messageId !== undefined ? Number.POSITIVE_INFINITY : 1);
    this.faults.push({ spec: { ...spec, mailbox: spec.mailbox?.toLowerCase() }, remaining });
  }

  clear(): void {
    this.faults = [];
  }

  /** The fault for this call, if any, spending one of its uses; `messageIds`: the ids of the message the call is about. */
  take(mailbox: string | null, route: string, messageIds: string[] = []): FaultSpec | null {
    const hit = this.faults.find(
      (f) =>
        f.remaining > 0 &&
        (!f.spec.mailbox || f.spec.mailbox === mailbox) &&
        (!f.spec.route || f.spec.route === route) &&
        (!f.spec.messageId || messageIds.includes(f.spec.messageId)) &&
        (f.spec.probability === undefined || Math.random() < f.spec.probability),
    );
    if (!hit) return null;
    hit.remaining -= 1;
    this.faults = this.faults.filter((f) => f.remaining > 0);
    return hit.spec;
  }
}
