import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Provider } from '../provider';
import { connectSignal, disconnectSignal, type ConnectArgs, type DisconnectArgs } from '../workflows/definitions';
import { mailboxWorkflow } from '../workflows/mailbox-workflow';
import { MailboxAddress, MailboxLocations, MailboxProvider, MailboxStatus } from '../workflows/search-attributes';
import { initialState, mailboxWorkflowId, type MailboxPacing, type MailboxTimers } from '../workflows/state';

export interface AccountRef {
  accountId: string;
  provider: Provider;
  address: string;
  sendLimit: number;
}

/** "Ensure the mailbox workflow runs and deliver connect" as one idempotent call (signal-with-start). */
export async function signalConnect(
  client: Client,
  opts: { taskQueue: string; timers: MailboxTimers; maxMessagesPerRun: number; activityTimeoutMs?: number; pacing?: Partial<Record<Provider, MailboxPacing>> },
  account: AccountRef,
  args: ConnectArgs,
): Promise<string> {
  const workflowId = mailboxWorkflowId(account.provider, account.accountId);
  await client.workflow.signalWithStart(mailboxWorkflow, {
    workflowId,
    taskQueue: opts.taskQueue,
    args: [
      {
        state: initialState({ accountId: account.accountId, provider: account.provider, address: account.address, sendLimit: account.sendLimit }),
        timers: opts.timers,
        maxMessagesPerRun: opts.maxMessagesPerRun,
        ...(opts.activityTimeoutMs ? { activityTimeoutMs: opts.activityTimeoutMs } : {}),
        ...(opts.pacing?.[account.provider] ? { pacing: opts.pacing[account.provider] } : {}),
      },
    ],
    signal: connectSignal,
    signalArgs: [args],
    typedSearchAttributes: [
      { key: MailboxProvider, value: account.provider },
      { key: MailboxAddress, value: account.address },
      { key: MailboxStatus, value: 'active' },
      { key: MailboxLocations, value: [args.binding.locationId] },
    ],
  });
  return workflowId;
}

/** Delivers disconnect; a workflow that already completed has nothing left to stop. */
export async function signalDisconnect(client: Client, workflowId: string, args: DisconnectArgs): Promise<void> {
  try {
    await client.workflow.getHandle(workflowId).signal(disconnectSignal, args);
  } catch (err) {
    if (!(err instanceof WorkflowNotFoundError)) throw err;
  }
}
