import { describe, expect, it } from 'vitest';
import { CACHED_WORKFLOW_BYTES, DEFAULT_WORKER_WORKFLOW_CACHE_MEMORY, maxCachedWorkflows } from './workflow-cache-bound';

describe('maxCachedWorkflows', () => {
  it('fits the default cache memory: 256 workflows in 256 MiB', () => {
    expect(maxCachedWorkflows(DEFAULT_WORKER_WORKFLOW_CACHE_MEMORY)).toBe(256);
  });

  it('rounds down to whole workflows', () => {
    expect(maxCachedWorkflows(10.5 * CACHED_WORKFLOW_BYTES)).toBe(10);
  });

  it('keeps the SDK minimum of 2 when a little memory is given', () => {
    expect(maxCachedWorkflows(1)).toBe(2);
  });

  it('turns the cache off at 0', () => {
    expect(maxCachedWorkflows(0)).toBe(0);
  });
});
