/** Gmail calls in flight per account, for its per-user concurrency limit. */
export class InFlight {
  private readonly open = new Map<string, number>();

  running(address: string): number {
    return this.open.get(address) ?? 0;
  }

  /** Returns how many are open now, this one included. */
  enter(address: string): number {
    const now = this.running(address) + 1;
    this.open.set(address, now);
    return now;
  }

  leave(address: string): void {
    this.open.set(address, Math.max(0, this.running(address) - 1));
  }
}
