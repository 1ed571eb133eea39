import { setTimeout as sleep } from 'node:timers/promises';
import type { SigningKeys } from '../keys';
import { isAck, pushEnvelope } from './envelope';

export type PushOutcome = 'sent' | 'delivered' | 'failed';

export interface PusherOptions {
  minIntervalMs: number;
  retryDelaysMs: number[];
  keys: SigningKeys;
  serviceAccount: string;
  serviceAccountId: string;
  onOutcome(address: string, outcome: PushOutcome): void;
}

/** Who a push token says sent it: the `email` and `email_verified` claims. */
export interface PushIdentity {
  serviceAccount: string;
  emailVerified?: boolean;
}

const ATTEMPT_TIMEOUT_MS = 10_000;

/**
 * Sends Gmail notifications as Pub/Sub push requests, at most one per account per interval: changes
 * inside the interval fold into one trailing push that carries the newest history id.
 */
export class Pusher {
  private endpoint: string | null = null;
  private audience: string | null = null;
  private identity: PushIdentity | null = null;
  private readonly lastSentAt = new Map<string, number>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly abort = new AbortController();

  constructor(private readonly opts: PusherOptions) {}

  setEndpoint(url: string | null, audience?: string): void {
    this.endpoint = url;
    this.audience = url ? (audience ?? url) : null;
  }

  /** Sign push tokens as another service account (another project's subscription aimed at the endpoint); null: the sandbox's own. */
  setIdentity(identity: PushIdentity | null): void {
    this.identity = identity;
  }

  get target(): { endpoint: string | null; audience: string | null } {
    return { endpoint: this.endpoint, audience: this.audience };
  }

  notify(address: string, historyId: () => number): void {
    if (!this.endpoint || this.abort.signal.aborted || this.timers.has(address)) return;
    const wait = Math.max(0, (this.lastSentAt.get(address) ?? -Infinity) + this.opts.minIntervalMs - Date.now());
    const timer = setTimeout(() => {
      this.timers.delete(address);
      this.lastSentAt.set(address, Date.now());
      this.track(this.deliver(address, historyId()));
    }, wait);
    this.timers.set(address, timer);
  }

  /** Resolves once nothing is scheduled or being delivered. */
  async settled(): Promise<void> {
    while (this.timers.size > 0 || this.inFlight.size > 0) {
      if (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
      else await sleep(Math.max(1, this.opts.minIntervalMs / 4));
    }
  }

  close(): void {
    this.abort.abort();
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  private track(p: Promise<void>): void {
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p));
  }

  private async deliver(address: string, historyId: number): Promise<void> {
    const body = JSON.stringify(pushEnvelope(address, historyId));
    for (let attempt = 0; attempt <= this.opts.retryDelaysMs.length; attempt++) {
      if (attempt > 0 && !(await this.pause(this.opts.retryDelaysMs[attempt - 1]!))) return;
      if (await this.attempt(address, body)) return;
    }
  }

  private async pause(ms: number): Promise<boolean> {
    try {
      await sleep(ms, undefined, { signal: this.abort.signal });
      return true;
    } catch {
      return false;
    }
  }

  /** One POST; every failure is counted and swallowed so a broken endpoint never hurts the sandbox. */
  private async attempt(address: string, body: string): Promise<boolean> {
    const { endpoint, audience } = this;
    if (!endpoint || !audience) return true;
    this.opts.onOutcome(address, 'sent');
    try {
      const token = await this.opts.keys.sign({
        iss: 'https://accounts.google.com',
        aud: audience,
        azp: this.opts.serviceAccountId,
        sub: this.opts.serviceAccountId,
        email: this.identity?.serviceAccount ?? this.opts.serviceAccount,
        email_verified: this.identity?.emailVerified ?? true,
      });
      const res = await fetch(endpoint, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'user-agent': 'APIs-Google; (+https://developers.google.com/webmasters/APIs-Google.html)' },
        body,
        signal: AbortSignal.any([this.abort.signal, AbortSignal.timeout(ATTEMPT_TIMEOUT_MS)]),
      });
      await res.arrayBuffer().catch(() => undefined);
      const ok = isAck(res.status);
      this.opts.onOutcome(address, ok ? 'delivered' : 'failed');
      return ok;
    } catch {
      this.opts.onOutcome(address, 'failed');
      return false;
    }
  }
}
