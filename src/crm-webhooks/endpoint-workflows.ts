import type { Client } from '@temporalio/client';
import { DomainError } from '../domain-errors';
import { wakeWebhookSignal, webhookWorkflowId } from '../workflows/webhook-definitions';
import { webhookEndpointWorkflow } from '../workflows/webhook-endpoint-workflow';

export interface EndpointWorkflowDeps {
  temporal: Client;
  taskQueue: string;
}

/**
 * "Ensure the endpoint's workflow runs and looks for work now", as one idempotent call
 * (signal-with-start): safe from any API replica, any number of times.
 */
export async function wakeEndpoint(deps: EndpointWorkflowDeps, endpointId: string): Promise<void> {
  try {
    await deps.temporal.workflow.signalWithStart(webhookEndpointWorkflow, {
      workflowId: webhookWorkflowId(endpointId),
      taskQueue: deps.taskQueue,
      args: [{ endpointId }],
      signal: wakeWebhookSignal,
      signalArgs: [],
    });
  } catch (err) {
    throw new DomainError('temporal_unavailable', `webhook endpoint ${endpointId} is saved, but its delivery workflow could not be woken; retry the request: ${(err as Error).message}`);
  }
}

/**
 * After a delete: wakes the workflow if it runs, so it sees the endpoint gone and stops now. Best effort:
 * the delete has happened either way, and without the signal the workflow stops on its next poll.
 */
export async function wakeIfRunning(deps: EndpointWorkflowDeps, endpointId: string): Promise<void> {
  await deps.temporal.workflow
    .getHandle(webhookWorkflowId(endpointId))
    .signal(wakeWebhookSignal)
    .catch(() => undefined);
}
