import type { FaultSpec } from '../types';

interface ArmedFault {
  spec: FaultSpec;
  remaining: number;
}

/** Faults armed by the control API, consumed by matching requests in arrival order. */
export class FaultBook {
  private faults: ArmedFault[] = [];

  add(spec: FaultSpec): void {
    this.faults.push({ spec: { ...spec, mailbox: spec.mailbox?.toLowerCase() }, remaining: spec.count ?? 1 });
  }

  clear(): void {
    this.faults = [];
  }

  /** The fault for this call, if any, spending one of its uses. */
  take(mailbox: string | null, route: string): FaultSpec | null {
    const hit = this.faults.find(
      (f) => f.remaining > 0 && (!f.spec.mailbox || f.spec.mailbox === mailbox) && (!f.spec.route || f.spec.route === route),
    );
    if (!hit) return null;
    hit.remaining -= 1;
    this.faults = this.faults.filter((f) => f.remaining > 0);
    return hit.spec;
  }
}
