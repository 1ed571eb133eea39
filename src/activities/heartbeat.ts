import { Context } from '@temporalio/activity';

/**
 * Runs an activity while heartbeating a few times per heartbeat timeout, so a worker that dies mid-activity
 * (SIGKILL, a lost machine) has its attempt timed out and retried elsewhere after the heartbeat timeout,
 * not after the whole start-to-close timeout. Without a heartbeat timeout on the attempt it only runs `fn`.
 */
export function heartbeating<I extends unknown[], O>(fn: (...input: I) => Promise<O>): (...input: I) => Promise<O> {
  return async (...input: I) => {
    const ctx = Context.current();
    const timeoutMs = ctx.info.heartbeatTimeoutMs;
    if (!timeoutMs) return fn(...input);
    const beat = setInterval(() => ctx.heartbeat(), Math.max(250, Math.floor(timeoutMs / 4)));
    try {
      return await fn(...input);
    } finally {
      clearInterval(beat);
    }
  };
}
