import type { Client } from '@temporalio/client';
import type { Db } from '../db/client';
import type { TokenCipher } from '../crypto/types';
import type { MailboxTimers } from '../workflows/state';

/** Resolves which mailbox a refresh token opens; throws InvalidGrantError when the provider refuses it. */
export interface MailboxIdentity {
  resolveAddress(provider: 'gmail' | 'outlook', refreshToken: string): Promise<string>;
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
}
