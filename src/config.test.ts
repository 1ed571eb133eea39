import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config';

const required = { DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/mailsync', MAILSYNC_API_KEYS: 'a-key-of-sixteen-chars', MAILSYNC_ENCRYPTION_KEYS: 'k1:x' };

describe('loadConfig: reading messages', () => {
  it('defaults to a 4 MiB read bound, 3 attempts 10 s apart, and 512 MiB for the worker’s activities', () => {
    const config = loadConfig(required);
    expect(config.ingest).toEqual({ maxInlineMessageBytes: 4 * 1024 * 1024, unreadableAttempts: 3, unreadableAttemptGapMs: 10_000 });
    expect(config.workerActivityMemoryBytes).toBe(512 * 1024 * 1024);
  });

  it('reads sizes with units and stops on a bad one, naming the variable', () => {
    const config = loadConfig({ ...required, MAILSYNC_MAX_INLINE_MESSAGE_BYTES: '2MB', MAILSYNC_UNREADABLE_ATTEMPTS: '5', MAILSYNC_UNREADABLE_ATTEMPT_GAP: '1m', MAILSYNC_WORKER_ACTIVITY_MEMORY: '1GiB' });
    expect(config.ingest).toEqual({ maxInlineMessageBytes: 2_000_000, unreadableAttempts: 5, unreadableAttemptGapMs: 60_000 });
    expect(config.workerActivityMemoryBytes).toBe(1024 ** 3);
    expect(() => loadConfig({ ...required, MAILSYNC_MAX_INLINE_MESSAGE_BYTES: 'lots' })).toThrow(ConfigError);
    expect(() => loadConfig({ ...required, MAILSYNC_MAX_INLINE_MESSAGE_BYTES: '1KiB' })).toThrow(/MAILSYNC_MAX_INLINE_MESSAGE_BYTES must be a size of at least 65536 bytes/);
    expect(() => loadConfig({ ...required, MAILSYNC_UNREADABLE_ATTEMPTS: '0' })).toThrow(/MAILSYNC_UNREADABLE_ATTEMPTS/);
  });
});
