/**
 * The webhook endpoint workflow's Temporal definitions, typed and shared by the API and the workflow:
 * never start or signal it by a string name elsewhere.
 */
import { defineSignal } from '@temporalio/workflow';

export interface WebhookEndpointInput {
  endpointId: string;
  /** Batches per run before continue-as-new (the test forces it low). */
  batchesPerRun?: number;
}

/** Look for work now: sent on create, update, re-delivery and start-up. Carries nothing; the endpoint's row says what to do. */
export const wakeWebhookSignal = defineSignal<[]>('wake');

export const webhookWorkflowId = (endpointId: string) => `webhook/${endpointId}`;
