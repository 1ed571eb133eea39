/**
 * How many workflows a worker keeps cached (the sticky cache: a cached workflow's next task runs on
 * the same worker without replaying its history), from the memory the worker gives the cache. Pure:
 * what worker.ts reads. Without a bound the SDK sizes the cache from the V8 heap limit (about 2,300
 * workflows on a 4 GiB heap), which at thousands of mailboxes per worker grows RSS past 1 GB.
 */

/** What a worker gives its workflow cache when not configured (MAILSYNC_WORKER_WORKFLOW_CACHE_MEMORY). */
export const DEFAULT_WORKER_WORKFLOW_CACHE_MEMORY = 256 * 1024 * 1024;

/**
 * Resident bytes one cached mailbox workflow may cost: its state, the SDK's activation bookkeeping and
 * its share of the shared V8 context (`reuseV8Context`). The SDK's own default budgets 1,024 MiB per
 * 600 workflows (1.7 MiB); a mailbox workflow's state is small plain JSON, so 1 MiB still leaves room.
 */
export const CACHED_WORKFLOW_BYTES = 1024 * 1024;

/** The SDK needs 0 (cache off) or at least 2. */
const MIN_CACHED_WORKFLOWS = 2;

/** Cached workflows that fit `cacheMemoryBytes`; 0 turns the cache off (every task replays its history). */
export function maxCachedWorkflows(cacheMemoryBytes: number): number {
  if (cacheMemoryBytes <= 0) return 0;
  return Math.max(MIN_CACHED_WORKFLOWS, Math.floor(cacheMemoryBytes / CACHED_WORKFLOW_BYTES));
}
