import type { AccountCounters } from '../limits/counters';
import type { SigningKey } from '../oauth/keys';
import { pushClaims, pushEnvelope, type PushIdentity } from './envelope';

export interface PushTarget {
  url: string;
  audience: string;
}

/** What the publisher needs from an account: its address, current history id and counters. */
export interface PushSource {
  address: string;
  historyId(): number;
  counters(): AccountCounters;
}

export interface PublisherConfig {
  signer: SigningKey;
  identity: PushIdentity;
  subscription: string;
  minIntervalMs: number;
  retries: number;
  retryBaseMs: number;
  target(): PushTarget | null;
}

/** Pub/Sub counts these as acknowledged. */
const ACK_STATUSES = new Set([102, 200, 201, 202, 204]);
const DELIVERY_TIMEOUT_MS = 10_000;

interface Lane {
  lastSentAt: number;
  timer: NodeJS.Timeout | null;
}

/**
 * Publishes Gmail notifications: at most one per account per interval, a burst collapsing into one
 * later push that carries the newest history id. Failed deliveries retry with doubling backoff;
 * nothing here ever throws into the sandbox.
 */
export class PushPublisher {
  private readonly lanes = new Map<string, Lane>();
  private readonly inflight = new Set<AbortController>();
  private closed = false;

  constructor(private readonly config: PublisherConfig) {}

  notify(source: PushSource): void {
    if (this.closed) return;
    const lane = this.lanes.get(source.address) ?? { lastSentAt: -Infinity, timer: null };
    this.lanes.set(source.address, lane);
    if (lane.timer) return;
    const wait = lane.lastSentAt + this.config.minIntervalMs - Date.now();
    if (wait <= 0) return this.fire(source, lane);
    lane.timer = setTimeout(() => {
      lane.timer = null;
      this.fire(source, lane);
    }, wait);
  }

  /** Drops a pending coalesced push (users.stop). */
  cancel(address: string): void {
    const lane = this.lanes.get(address);
    if (lane?.timer) clearTimeout(lane.timer);
    if (lane) lane.timer = null;
  }

  close(): void {
    this.closed = true;
    for (const lane of this.lanes.values()) if (lane.timer) clearTimeout(lane.timer);
    for (const controller of this.inflight) controller.abort();
  }

  private fire(source: PushSource, lane: Lane): void {
    lane.lastSentAt = Date.now();
    void this.deliver(source, source.historyId()).catch((err: unknown) => {
      process.stderr.write(`[gmail-sandbox] push for ${source.address} failed: ${(err as Error)?.stack ?? String(err)}\n`);
    });
  }

  private async deliver(source: PushSource, historyId: number): Promise<void> {
    const counters = source.counters();
    const target = this.config.target();
    if (!target) {
      counters.push.dropped++;
      return;
    }
    const body = JSON.stringify(pushEnvelope(source.address, historyId, this.config.subscription, Date.now()));
    for (let attempt = 0; attempt <= this.config.retries && !this.closed; attempt++) {
      if (attempt > 0) await this.sleep(this.config.retryBaseMs * 2 ** (attempt - 1));
      if (await this.attempt(target, body)) {
        counters.push.delivered++;
        return;
      }
      counters.push.failedAttempts++;
    }
    counters.push.dropped++;
  }

  private async attempt(target: PushTarget, body: string): Promise<boolean> {
    if (this.closed) return false;
    const controller = new AbortController();
    this.inflight.add(controller);
    const timer = setTimeout(() => controller.abort(), DELIVERY_TIMEOUT_MS);
    try {
      const token = await this.config.signer.sign(pushClaims(this.config.identity, target.audience, Date.now()));
      const res = await fetch(target.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${token}`,
          'user-agent': 'APIs-Google; (+https://developers.google.com/webmasters/APIs-Google.html)',
        },
        body,
        signal: controller.signal,
      });
      await res.arrayBuffer().catch(() => undefined);
      return ACK_STATUSES.has(res.status);
    } catch {
      return false;
    } finally {
      clearTimeout(timer);
      this.inflight.delete(controller);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms).unref());
  }
}
