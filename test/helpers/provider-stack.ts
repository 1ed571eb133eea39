import type { IngestSettings } from '../../src/activities/sync/memory-bound';
import type { Provider } from '../../src/provider';
import type { MailboxTimers } from '../../src/workflows/state';
import type { Stack, StackOptions } from './stack';

/**
 * One mailbox of a provider sandbox, bound to its address: the sandbox calls tests make on it. Each
 * provider's stack module binds them to its sandbox, so a change of the sandbox's control API lands there.
 */
export interface SandboxMailbox {
  address: string;
  /** Creates the mailbox; its grant is the refresh token a CRM gets from the first consent. */
  create(): Promise<{ refreshToken: string }>;
  /** A fresh refresh token for the existing mailbox (a new consent). */
  grant(): Promise<{ refreshToken: string }>;
}

/** The real stack against one provider's sandbox, its API listening for the sandbox's pushes. */
export interface ProviderStack<M extends SandboxMailbox = SandboxMailbox> extends Stack {
  provider: Provider;
  apiUrl: string;
  /** Domain of the mailbox addresses tests make up for this provider. */
  ownerDomain: string;
  /** The sandbox mailbox at `address`, created or not. */
  sandboxMailbox(address: string): M;
}

/** What every provider stack can be told. */
export interface ProviderStackOptions {
  timers?: Partial<MailboxTimers>;
  maxMessagesPerRun?: number;
  activityTimeoutMs?: number;
  /** False: run no worker in this process (a test starts worker processes itself). */
  inProcessWorker?: boolean;
  /** Name under which `npm run histories:record` stores the stack's workflow histories. */
  recordAs?: string;
  ingest?: IngestSettings;
  webhooks?: StackOptions['webhooks'];
  logger?: StackOptions['logger'];
}

/** The stack options every provider stack passes on alike; the fallback poll is 3 s unless a test says otherwise. */
export function commonStackOptions(opts: ProviderStackOptions): StackOptions {
  return {
    timers: { fallbackPollMs: 3_000, ...opts.timers },
    ...(opts.maxMessagesPerRun ? { maxMessagesPerRun: opts.maxMessagesPerRun } : {}),
    ...(opts.activityTimeoutMs ? { activityTimeoutMs: opts.activityTimeoutMs } : {}),
    ...(opts.inProcessWorker === false ? { inProcessWorker: false } : {}),
    ...(opts.recordAs ? { recordAs: opts.recordAs } : {}),
    ...(opts.ingest ? { ingest: opts.ingest } : {}),
    ...(opts.webhooks ? { webhooks: opts.webhooks } : {}),
    ...(opts.logger ? { logger: opts.logger } : {}),
  };
}

/** The stack with the provider's parts added; closing it closes the sandbox after the stack. */
export function withSandbox<S extends Stack, T extends object>(stack: S, parts: T, closeSandbox: () => Promise<void>): S & T {
  const close = stack.close;
  return Object.assign(stack, parts, {
    async close() {
      await close();
      await closeSandbox();
    },
  });
}
