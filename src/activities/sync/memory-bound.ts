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
 * Bytes live per message byte while one message is read and parsed: the decoded message (Gmail's
 * base64url is decoded as it arrives, raw-json.ts), the chunks it was joined from, and mailparser's
 * copy of the parts.
 */
export const READ_OVERHEAD = 4;

/**
 * Dead buffers and strings wait for the garbage collector, which runs on V8's own schedule, so a
 * worker's resident memory runs ahead of what is live by up to this much. Measured, not derived:
 * one page of 12 messages of 3.5 MiB, each read whole, raised a worker's peak by 68 to 144 MiB across
 * runs, and by about 40 MiB when collecting every 20 ms. The headroom is the process's, not
 * each activity's: it grows with how fast garbage is made, not with how many activities make it.
 */
export const GC_HEADROOM_BYTES = 128 * 1024 * 1024;

/**
 * The most message bytes one sync page or audit run has live at once: FETCH_CONCURRENCY reads of at
 * most `maxInlineMessageBytes` each (held messages count against the same budget, see
 * read-chunk.ts), times what reading and parsing one byte costs.
 */
export function maxActivityMemoryBytes(settings: Pick<IngestSettings, 'maxInlineMessageBytes'>): number {
  return FETCH_CONCURRENCY * settings.maxInlineMessageBytes * READ_OVERHEAD;
}

/** What `activities` running at once may add to a worker's resident memory, collector headroom included. */
export function activitiesMemoryBound(activities: number, settings: Pick<IngestSettings, 'maxInlineMessageBytes'>): number {
  return activities * maxActivityMemoryBytes(settings) + GC_HEADROOM_BYTES;
}

/** Activities a worker runs at once so that all of them together, and the collector's headroom, fit its activity memory. */
export function activityConcurrency(workerActivityMemoryBytes: number, settings: Pick<IngestSettings, 'maxInlineMessageBytes'>): number {
  return Math.max(1, Math.floor((workerActivityMemoryBytes - GC_HEADROOM_BYTES) / maxActivityMemoryBytes(settings)));
}

