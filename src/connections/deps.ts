import type { Client } from '@temporalio/client';
import type { Db } from '../db/client';
import type { TokenCipher } from '../crypto/types';
import type { Provider } from '../provider';
import type { MailboxPacing, MailboxTimers } from '../workflows/state';

/** Resolves which mailbox a refresh token opens; throws InvalidGrantError when the provider refuses it. */
export interface MailboxIdentity {
  resolveAddress(provider: Provider, refreshToken: string): Promise<string>;
}

export class InvalidGrantError extends Error {}

export interface ConnectDeps {
  db: Db;
  temporal: Client;
  cipher: TokenCipher;
  identity: MailboxIdentity;
  taskQueue: string;
  timers: MailboxTimers;
  bccDomain: string;
  maxMessagesPerRun?: number;
  activityTimeoutMs?: number;
  /** Provider quota per mailbox, when it differs from the providers' published defaults. */
  pacing?: Partial<Record<Provider, MailboxPacing>>;
}

/** Options every signal-with-start of a mailbox workflow carries. */
export function workflowOptions(deps: ConnectDeps) {
  return {
    taskQueue: deps.taskQueue,
    timers: deps.timers,
    maxMessagesPerRun: deps.maxMessagesPerRun ?? 2000,
    ...(deps.activityTimeoutMs ? { activityTimeoutMs: deps.activityTimeoutMs } : {}),
    ...(deps.pacing ? { pacing: deps.pacing } : {}),
  };
}
