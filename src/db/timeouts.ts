/**
 * How long a pool waits for Postgres before giving up, so an outage answers an error in bounded time
 * instead of a hang. Pure, so src/config.ts can default to these without loading the driver.
 */
export interface PoolTimeouts {
  /** Opening a connection, or waiting for a free one from a full pool. */
  readonly connectMs: number;
  /** One statement, enforced by the server (0: no limit). */
  readonly statementMs: number;
  /** A transaction left open with nothing running: the server ends the session and frees its locks (0: no limit). */
  readonly idleInTransactionMs: number;
}

export const DEFAULT_POOL_TIMEOUTS: PoolTimeouts = {
  connectMs: 5_000,
  statementMs: 30_000,
  idleInTransactionMs: 60_000,
};
