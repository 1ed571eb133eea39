/**
 * How many message bytes one activity may hold, and from that how many activities a worker runs at
 * once. Pure: the numbers the README's memory paragraph is about, and what worker.ts reads.
 */

export interface IngestSettings {
  /** A message up to this size (raw MIME bytes) is read whole; a larger one without its attachments' bytes. */
  maxInlineMessageBytes: number;
  /** Counted failed reads of one message before it is decided skipped / unreadable. */
  unreadableAttempts: number;
  /** Failures of one message closer together than this count as one attempt. */
  unreadableAttemptGapMs: number;
}

export const DEFAULT_INGEST_SETTINGS: Readonly<IngestSettings> = Object.freeze({
  maxInlineMessageBytes: 4 * 1024 * 1024,
  unreadableAttempts: 3,
  unreadableAttemptGapMs: 10_000,
});

/** What a worker gives its activities when not configured (MAILSYNC_WORKER_ACTIVITY_MEMORY): room under 1 GB RSS. */
export const DEFAULT_WORKER_ACTIVITY_MEMORY = 512 * 1024 * 1024;

/** Provider calls in flight per activity: under Gmail's per-user concurrent limit and Graph's 4 per mailbox. */
export const FETCH_CONCURRENCY = 4;

/**
 * Bytes in memory per inline byte while one message is read and parsed: the response as received
 * (Gmail's base64 in JSON is 4/3 of the message), its decoded bytes, and mailparser's copy of the
 * parts. Measured peaks stay under this (test/e2e/gmail-unreadable.test.ts prints them).
 */
export const READ_OVERHEAD = 4;

/**
 * The most one sync page or audit run holds at once: FETCH_CONCURRENCY reads of at most
 * `maxInlineMessageBytes` each (held messages count against the same budget, see read-chunk.ts),
 * times what reading and parsing one byte costs.
 */
export function maxActivityMemoryBytes(settings: Pick<IngestSettings, 'maxInlineMessageBytes'>): number {
  return FETCH_CONCURRENCY * settings.maxInlineMessageBytes * READ_OVERHEAD;
}

/** Activities a worker runs at once so that all of them together stay within its activity memory. */
export function activityConcurrency(workerActivityMemoryBytes: number, settings: Pick<IngestSettings, 'maxInlineMessageBytes'>): number {
  return Math.max(1, Math.floor(workerActivityMemoryBytes / maxActivityMemoryBytes(settings)));
}

