import { post } from './post';

/** A client must acknowledge a notification within 3 s or Graph counts it as failed. */
const ACK_TIMEOUT_MS = 3_000;

export interface DeliveryTarget {
  url: string;
  onDelivered(): void;
  onFailedAttempt(): void;
}

/**
 * Posts notification batches and retries failures on a schedule (Graph retries for up to four
 * hours, then drops). Everything pending is cancelled on close.
 */
export class Deliverer {
  private timers = new Set<NodeJS.Timeout>();
  private readonly abort = new AbortController();

  constructor(
    private readonly caPem: string,
    private readonly retryDelaysMs: number[],
  ) {}

  /** Resolves after the first attempt; later retries run in the background. */
  async send(target: DeliveryTarget, payload: unknown): Promise<boolean> {
    return this.attempt(target, JSON.stringify(payload), 0);
  }

  private async attempt(target: DeliveryTarget, body: string, attempt: number): Promise<boolean> {
    if (this.abort.signal.aborted) return false;
    let ok = false;
    try {
      const res = await post(target.url, body, 'application/json; charset=utf-8', ACK_TIMEOUT_MS, this.caPem, this.abort.signal);
      ok = res.status >= 200 && res.status < 300;
    } catch {
      ok = false;
    }
    if (ok) {
      target.onDelivered();
      return true;
    }
    target.onFailedAttempt();
    const delay = this.retryDelaysMs[attempt];
    if (delay !== undefined && !this.abort.signal.aborted) {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        void this.attempt(target, body, attempt + 1);
      }, delay);
      timer.unref();
      this.timers.add(timer);
    }
    return false;
  }

  close(): void {
    this.abort.abort();
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }
}
