/**
 * Every mailsync metric, defined once: the API's and the worker's, each process with its own registry
 * (README, "Metrics"). Counts are kept in memory where the work happens; figures about all mailboxes
 * are read from Postgres at scrape time, one aggregate query each, never per message.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry, type Metric } from 'prom-client';
import type { LagBucketRow, MailboxCountRow } from '../db/repositories/account-figures';
import { lagHistogramValues, mailboxCounts } from './mailbox-figures';

/** Seconds since a mailbox's last applied page: from a fast poll (seconds) to an idle or stuck one (days). */
export const SYNC_LAG_BUCKETS_SECONDS = [10, 30, 60, 300, 900, 3_600, 21_600, 86_400, 604_800] as const;
/** Seconds from an event's creation to its webhook's delivery. */
export const WEBHOOK_LAG_BUCKETS_SECONDS = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 3_600] as const;
export const HTTP_DURATION_BUCKETS_SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] as const;

export interface MetricsOptions {
  /** Node's own process metrics (CPU, memory, event loop, GC), prefixed `mailsync_`; off in tests. */
  processMetrics?: boolean;
}

/** What the API's scrape reads from Postgres. */
export interface MailboxFigureSource {
  countMailboxes(): Promise<MailboxCountRow[]>;
  syncLagBuckets(boundsSeconds: readonly number[]): Promise<LagBucketRow[]>;
}

function newRegistry(opts: MetricsOptions): Registry {
  const registry = new Registry();
  if (opts.processMetrics) collectDefaultMetrics({ register: registry, prefix: 'mailsync_' });
  return registry;
}

export function createApiMetrics(source: MailboxFigureSource, opts: MetricsOptions = {}) {
  const registry = newRegistry(opts);
  const registers = [registry];
  const httpRequests = new Counter({
    name: 'mailsync_http_requests_total',
    help: 'HTTP requests the API answered, by method, route pattern and status code',
    labelNames: ['method', 'route', 'status'] as const,
    registers,
  });
  const httpDuration = new Histogram({
    name: 'mailsync_http_request_duration_seconds',
    help: 'Time the API took to answer, by method and route pattern',
    labelNames: ['method', 'route'] as const,
    buckets: [...HTTP_DURATION_BUCKETS_SECONDS],
    registers,
  });
  new Gauge({
    name: 'mailsync_mailboxes',
    help: 'Connected mailboxes (provider accounts) by provider and status, read from Postgres at scrape time',
    labelNames: ['provider', 'status'] as const,
    registers,
    async collect() {
      this.reset();
      // Postgres down: the mailbox series are left out of this scrape; the HTTP counts still answer.
      const rows = await source.countMailboxes().catch(() => null);
      for (const row of rows ? mailboxCounts(rows) : []) this.set({ provider: row.provider, status: row.status }, row.count);
    },
  });
  registry.registerMetric(syncLagHistogram(source));
  return { registry, httpRequests, httpDuration };
}

export type ApiMetrics = ReturnType<typeof createApiMetrics>;

/**
 * A histogram built at scrape time from Postgres's bucket counts: prom-client's own Histogram only
 * observes values one by one, which would mean a row per mailbox on every scrape.
 */
function syncLagHistogram(source: MailboxFigureSource): Metric {
  const name = 'mailsync_sync_lag_seconds';
  const collector = {
    name,
    help: 'Syncing mailboxes (active or backing off) by seconds since their last applied page (or since connect before the first), by provider, read from Postgres at scrape time',
    type: 'histogram',
    aggregator: 'sum',
    async get() {
      const rows = await source.syncLagBuckets(SYNC_LAG_BUCKETS_SECONDS).catch(() => null);
      return { name, help: collector.help, type: collector.type, aggregator: collector.aggregator, values: rows ? lagHistogramValues(name, SYNC_LAG_BUCKETS_SECONDS, rows) : [] };
    },
    reset() {},
  };
  return collector as unknown as Metric;
}

export function createWorkerMetrics(opts: MetricsOptions = {}) {
  const registry = newRegistry(opts);
  const registers = [registry];
  return {
    registry,
    messagesDecided: new Counter({
      name: 'mailsync_messages_decided_total',
      help: 'Sync decisions stored, one per message and connection it was decided for, by provider, outcome (synced, matched, skipped) and rule id',
      labelNames: ['provider', 'outcome', 'rule_id'] as const,
      registers,
    }),
    sendAttempts: new Counter({
      name: 'mailsync_send_attempts_total',
      help: 'Send activity attempts by provider and outcome (sent, deduplicated, in_doubt, rate_limited, refused, failed)',
      labelNames: ['provider', 'outcome'] as const,
      registers,
    }),
    rateLimited: new Counter({
      name: 'mailsync_provider_rate_limited_total',
      help: 'Provider calls answered with a rate limit (429, or 503 with Retry-After), by provider',
      labelNames: ['provider'] as const,
      registers,
    }),
    backoffs: new Counter({
      name: 'mailsync_backoffs_total',
      help: 'Mailboxes that went into backing_off after a failed sync, by provider',
      labelNames: ['provider'] as const,
      registers,
    }),
    webhookDeliveryLag: new Histogram({
      name: 'mailsync_webhook_delivery_lag_seconds',
      help: 'Seconds from an event being written to its webhook being delivered (2xx)',
      buckets: [...WEBHOOK_LAG_BUCKETS_SECONDS],
      registers,
    }),
    webhookFailures: new Counter({
      name: 'mailsync_webhook_delivery_failures_total',
      help: 'Webhook POSTs that failed, by kind (4xx, 5xx, no_answer)',
      labelNames: ['kind'] as const,
      registers,
    }),
  };
}

export type WorkerMetrics = ReturnType<typeof createWorkerMetrics>;
